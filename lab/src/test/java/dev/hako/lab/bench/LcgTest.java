package dev.hako.lab.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pins the seed's generator: {@code s = s * 1664525 + 1013904223 (mod 2^32)}, seeded {@code 0x12345678 + 977 i}. */
class LcgTest {
    private static long[] firstDraws(int thread, int n) {
        long[] out = new long[n];
        int s = Lcg.seed(thread);
        for (int i = 0; i < n; i++) out[i] = Integer.toUnsignedLong(s = Lcg.next(s));
        return out;
    }

    @Test
    void seeds() {
        assertEquals(0x12345678, Lcg.seed(0));
        assertEquals(0x12345a49, Lcg.seed(1));
        assertEquals(0x12345678 + 977 * 31, Lcg.seed(31));
    }

    @Test
    void thread0Sequence() {
        // Worked out independently with 64-bit arithmetic mod 2^32.
        assertArrayEquals(new long[] {1967335287L, 3442499178L, 635173569L, 1264358700L, 2229145243L, 3802821438L},
                firstDraws(0, 6));
    }

    @Test
    void thread1Sequence() {
        assertArrayEquals(new long[] {3593576212L, 1800011619L, 463297894L, 1972983181L, 2819848584L, 1713393479L},
                firstDraws(1, 6));
    }

    @Test
    void drawsReduceAsUnsigned32Bit() {
        int s = Lcg.next(Lcg.next(Lcg.seed(0))); // 3442499178: negative as a Java int
        assertEquals(3442499178L % 2033, Integer.remainderUnsigned(s, 2033));
        assertEquals(3442499178L % 400, Integer.remainderUnsigned(s, 400));
    }

    @Test
    void matchesA64BitReference() {
        long ref = 0x12345678L + 977L * 7;
        int s = Lcg.seed(7);
        for (int i = 0; i < 10_000; i++) {
            ref = (ref * 1664525L + 1013904223L) & 0xFFFF_FFFFL;
            s = Lcg.next(s);
            assertEquals(ref, Integer.toUnsignedLong(s), "draw " + i);
        }
    }
}
