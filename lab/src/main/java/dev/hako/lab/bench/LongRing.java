package dev.hako.lab.bench;

/** An SPSC ring of non-zero addresses (0 means "empty"). */
public final class LongRing extends SpscRing {
    private final long[] entries;

    public LongRing(int capacity) {
        super(capacity);
        this.entries = new long[capacity];
    }

    /** Producer: appends {@code address}; false when the ring is full. */
    public boolean offer(long address) {
        int i = claim();
        if (i < 0) return false;
        entries[i] = address;
        publish();
        return true;
    }

    /** Consumer: the oldest address, or 0 when the ring is empty. */
    public long poll() {
        int i = peek();
        if (i < 0) return 0;
        long address = entries[i];
        consume();
        return address;
    }
}
