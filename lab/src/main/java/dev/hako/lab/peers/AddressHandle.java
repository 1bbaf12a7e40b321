package dev.hako.lab.peers;

/**
 * One thread's way into an {@link AddressPeer}. Used by the thread that opened it only; nothing here allocates a
 * Java object.
 */
public interface AddressHandle extends AutoCloseable {
    /** A block of at least {@code size} bytes, or 0 when the allocator is out of memory. */
    long malloc(long size);

    /** Frees a block from any handle of the same peer (possibly opened by another thread). */
    void free(long address);

    /** Ends this thread's use (for Hako: detaches the heap, like a native thread-exit cache flush). */
    @Override
    default void close() {}
}
