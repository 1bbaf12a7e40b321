package dev.hako.lab.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The cursors of a bounded single-producer / single-consumer ring of exactly {@code capacity} entries (full when
 * {@code tail - head == capacity}, like the seed's). Subclasses hold the entries; {@link LongRing} for addresses,
 * {@link ObjectRing} for objects.
 *
 * <p>Producer: {@link #claim()} an index, write the entry, {@link #publish()} (release store of {@code tail}).
 * Consumer: {@link #peek()} an index (acquire load of {@code tail} when its cached copy is used up), read the
 * entry, {@link #consume()} (release store of {@code head}, so the producer never overwrites an unread entry).
 * Each side's fields sit on their own cache lines (superclass padding: the JVM lays superclass fields first).
 */
public abstract sealed class SpscRing extends RingLayout.Pad2 permits LongRing, ObjectRing {
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(RingLayout.ProducerSide.class, "tail", long.class).withInvokeExactBehavior();
            HEAD = l.findVarHandle(RingLayout.ConsumerSide.class, "head", long.class).withInvokeExactBehavior();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int capacity;

    SpscRing(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("ring capacity must be positive: " + capacity);
        this.capacity = capacity;
    }

    public final int capacity() {
        return capacity;
    }

    /** Producer: the index to write next, or -1 when the ring is full. */
    final int claim() {
        long t = tail;
        if (t - headCache == capacity) {
            headCache = (long) HEAD.getAcquire((RingLayout.ConsumerSide) this);
            if (t - headCache == capacity) return -1;
        }
        return tailIndex;
    }

    /** Producer: makes the entry written at {@link #claim()}'s index visible. */
    final void publish() {
        int i = tailIndex + 1;
        tailIndex = i == capacity ? 0 : i;
        TAIL.setRelease((RingLayout.ProducerSide) this, tail + 1);
    }

    /** Consumer: the index to read next, or -1 when the ring is empty. */
    final int peek() {
        long h = head;
        if (h == tailCache) {
            tailCache = (long) TAIL.getAcquire((RingLayout.ProducerSide) this);
            if (h == tailCache) return -1;
        }
        return headIndex;
    }

    /** Consumer: hands the entry read at {@link #peek()}'s index back to the producer. */
    final void consume() {
        int i = headIndex + 1;
        headIndex = i == capacity ? 0 : i;
        HEAD.setRelease((RingLayout.ConsumerSide) this, head + 1);
    }

    /** Entries published and not yet consumed (racy unless both sides are quiet). */
    public final long size() {
        return (long) TAIL.getAcquire((RingLayout.ProducerSide) this) - (long) HEAD.getAcquire((RingLayout.ConsumerSide) this);
    }
}
