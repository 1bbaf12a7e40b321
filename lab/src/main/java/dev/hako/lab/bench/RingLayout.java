package dev.hako.lab.bench;

/**
 * The field layout of {@link SpscRing}: padding, the producer's fields, padding, the consumer's fields, padding.
 * HotSpot lays superclass fields before subclass fields, so each side's fields get cache lines of their own and
 * the producer's stores never invalidate the consumer's line (and the reverse).
 */
final class RingLayout {
    private RingLayout() {}

    @SuppressWarnings("unused")
    abstract static class Pad0 {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    abstract static class ProducerSide extends Pad0 {
        /** Entries published so far; written by the producer only (release). */
        long tail;
        /** The producer's last look at {@code head}. */
        long headCache;
        int tailIndex;
    }

    @SuppressWarnings("unused")
    abstract static class Pad1 extends ProducerSide {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    abstract static class ConsumerSide extends Pad1 {
        /** Entries consumed so far; written by the consumer only (release). */
        long head;
        /** The consumer's last look at {@code tail}. */
        long tailCache;
        int headIndex;
    }

    @SuppressWarnings("unused")
    abstract static class Pad2 extends ConsumerSide {
        long p20, p21, p22, p23, p24, p25, p26, p27;
    }
}
