package dev.hako;

import dev.hako.check.Checked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Misuse that reaches a remote-free list linked through freed blocks: a remote double free makes a cycle, a write
 * into a freed block corrupts a link. The owner's drain must fail with a clear exception, file nothing of that list,
 * and never hand a block out twice or return an address that is not one of its blocks.
 */
class RemoteMisuseTest {

    /** Remote double free of one block: the drain fails, and the bin is not poisoned with copies of it. */
    @ParameterizedTest
    @ValueSource(strings = {"push", "batch", "inbox"})
    void aRemoteDoubleFreeShouldNeverHandTheBlockOutTwice(String remote) throws Exception {
        assumeFalse(Checked.ENABLED); // checked mode refuses the second free itself
        try (HakoAllocator hako = TestHako.create(remote)) {
            Heap heap = hako.heap();
            long b = heap.malloc(64);
            TestHako.inThread("double-freer", () -> {
                Heap other = hako.heap();
                other.free(b);
                other.free(b);
                other.close(); // publishes what batch and inbox buffer
            });
            try {
                for (int i = 0; i < 10_000; i++) heap.malloc(64);
                // batch and inbox link a group before they publish it: the second free re-links the block to
                // itself and the publication overwrites that link, so the group carries the block once
                assertFalse(remote.equals("push"), "push's drain must see the cycle");
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("freed twice") && e.getMessage().contains("cycle"), e.getMessage());
            }
            Set<Long> live = new HashSet<>();
            int seenB = 0;
            for (int i = 0; i < 100_000; i++) {
                long p = heap.malloc(64);
                assertTrue(live.add(p), () -> String.format("0x%x handed out twice", p));
                if (p == b) seenB++;
            }
            assertTrue(seenB <= 1, "the double-freed block came back " + seenB + " times");
        }
    }

    /** A write of a foreign address into a freed block's first word (a use after free): never returned by malloc. */
    @Test
    void aUseAfterFreeWriteShouldNotMakeMallocReturnAForeignAddress() throws Exception {
        try (HakoAllocator hako = TestHako.create("push")) {
            Heap heap = hako.heap();
            long b = heap.malloc(64);
            long foreign;
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                foreign = arena.allocate(4096, 64).address();
                TestHako.inThread("freer", () -> hako.free(b));
                TestHako.ALL.set(java.lang.foreign.ValueLayout.JAVA_LONG, b, foreign); // after the free: misuse
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                    for (int i = 0; i < 10_000; i++) assertFalse(heap.malloc(64) == foreign);
                });
                assertTrue(e.getMessage().contains("not one of its blocks"), e.getMessage());
            }
            for (int i = 0; i < 10_000; i++) {
                long p = heap.malloc(64);
                assertTrue(hako.usableSize(p) >= 64, "every block handed out is a block");
                assertFalse(p == foreign);
            }
        }
    }
}
