package dev.hako.cache;

/**
 * The owner room's side of a heap's life, as a heap sees it: called by a heap that its own thread closes. (The
 * owner room implements it; this interface keeps the arrow {@code owner -> cache} one way.)
 */
public interface HeapLifecycle {
    /** Flushes and detaches {@code heap} from its owner slot; the slot's store waits for the next claimant. */
    void close(ThreadCache heap);
}
