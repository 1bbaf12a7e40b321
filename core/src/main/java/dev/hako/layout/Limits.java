package dev.hako.layout;

/** The largest requests an allocator accepts: larger ones are rejected as absurd, not attempted. */
public final class Limits {
    private Limits() {}

    /** The largest single allocation (32 TiB). */
    public static final long MAX_ALLOCATION = 1L << 45;
    /** The largest alignment {@code alignedAlloc} accepts (1 GiB). */
    public static final long MAX_ALIGNMENT = 1L << 30;
}
