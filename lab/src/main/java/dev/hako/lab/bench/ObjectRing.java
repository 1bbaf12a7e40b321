package dev.hako.lab.bench;

/**
 * An SPSC ring of objects ({@code null} means "empty"). Slots are not cleared on consume (one store fewer); a
 * consumed object stays reachable until its slot is reused, which the harness does not mind.
 */
public final class ObjectRing extends SpscRing {
    private final Object[] entries;

    public ObjectRing(int capacity) {
        super(capacity);
        this.entries = new Object[capacity];
    }

    /** Producer: appends {@code block}; false when the ring is full. */
    public boolean offer(Object block) {
        int i = claim();
        if (i < 0) return false;
        entries[i] = block;
        publish();
        return true;
    }

    /** Consumer: the oldest object, or {@code null} when the ring is empty. */
    public Object poll() {
        int i = peek();
        if (i < 0) return null;
        Object block = entries[i];
        consume();
        return block;
    }
}
