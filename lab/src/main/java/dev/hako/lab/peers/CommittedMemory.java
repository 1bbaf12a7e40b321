package dev.hako.lab.peers;

/**
 * A peer whose allocator can say how much memory it holds from the kernel, by its own accounting. {@code hako memory}
 * samples it beside the process's resident set; the figures of different allocators are alike in spirit (memory
 * taken from the kernel and not yet unmapped), not byte for byte.
 */
public interface CommittedMemory {
    /** Bytes the allocator holds from the kernel now, or -1 when this build cannot say. */
    long committedBytes();

    /** What the figure is, in a few words. */
    String committedSource();
}
