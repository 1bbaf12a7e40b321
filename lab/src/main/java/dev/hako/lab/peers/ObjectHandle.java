package dev.hako.lab.peers;

/** One thread's way into an {@link ObjectPeer}. */
public interface ObjectHandle extends AutoCloseable {
    /** A block of {@code size} bytes, or {@code null} when out of memory. */
    Object alloc(int size);

    /** Frees a block from any handle of the same peer. */
    void free(Object block);

    @Override
    default void close() {}
}
