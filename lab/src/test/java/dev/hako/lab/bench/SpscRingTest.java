package dev.hako.lab.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpscRingTest {
    @Test
    void holdsExactlyCapacityEntriesInOrder() {
        LongRing ring = new LongRing(3);
        assertEquals(0, ring.poll());
        for (int round = 0; round < 10; round++) { // wraps the indexes several times
            assertTrue(ring.offer(100 + round));
            assertTrue(ring.offer(200 + round));
            assertTrue(ring.offer(300 + round));
            assertFalse(ring.offer(400), "full at capacity, like the seed's ring");
            assertEquals(3, ring.size());
            assertEquals(100 + round, ring.poll());
            assertTrue(ring.offer(500 + round));
            assertEquals(200 + round, ring.poll());
            assertEquals(300 + round, ring.poll());
            assertEquals(500 + round, ring.poll());
            assertEquals(0, ring.poll());
        }
    }

    @Test
    void objectRingToo() {
        ObjectRing ring = new ObjectRing(1);
        assertTrue(ring.offer("a"));
        assertFalse(ring.offer("b"));
        assertEquals("a", ring.poll());
        assertNull(ring.poll());
    }

    @Test
    void producerAndConsumerThreadsLoseNothing() throws InterruptedException {
        LongRing ring = new LongRing(64);
        int n = 200_000;
        long[] got = new long[1];
        boolean[] inOrder = {true};
        Thread consumer = Thread.ofPlatform().start(() -> {
            long expect = 1;
            while (expect <= n) {
                long v = ring.poll();
                if (v == 0) {
                    Thread.yield();
                    continue;
                }
                if (v != expect) inOrder[0] = false;
                expect++;
                got[0]++;
            }
        });
        for (long v = 1; v <= n; ) {
            if (ring.offer(v)) v++;
            else Thread.yield();
        }
        consumer.join(60_000);
        assertFalse(consumer.isAlive());
        assertEquals(n, got[0]);
        assertTrue(inOrder[0]);
    }
}
