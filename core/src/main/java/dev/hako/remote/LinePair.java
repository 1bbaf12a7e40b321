package dev.hako.remote;

/**
 * The unit that keeps words of different writers apart: two cache lines (128 bytes), so that neither a shared line
 * nor the adjacent-line prefetcher couples them (hz4 pads every remote head this way and wins at R=90 where hz3 packs
 * four per line). Every padded head, row and region of the remote room is sized and aligned with it.
 */
final class LinePair {
    private LinePair() {}

    static final long BYTES = 128;

    /** {@code bytes} rounded up to a whole number of line pairs. */
    static long align(long bytes) {
        return (bytes + BYTES - 1) & -BYTES;
    }
}
