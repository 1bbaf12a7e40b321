package dev.hako.cache;

/** The owner room's side of a heap's life, called by a heap that is being closed by its thread. */
public interface HeapLifecycle {
    /** Flushes and detaches {@code heap} from its owner slot; the slot's store waits for the next claimant. */
    void detach(ThreadCache heap);
}
