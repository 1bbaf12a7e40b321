package dev.hako;

import dev.hako.check.Checked;
import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.concurrent.atomic.AtomicReference;

import static dev.hako.TestHako.assertBalanced;
import static dev.hako.TestHako.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checked mode ({@code -Dhako.checked=true}, a process-wide static final): runs in its own surefire execution.
 * Double frees and frees of blocks never handed out throw {@link IllegalArgumentException}; an exclusive heap used
 * from another thread throws {@link IllegalStateException}; and none of them changes the allocator's books.
 */
@Tag("checked")
class CheckedModeTest {
    private HakoAllocator hako;
    private Heap heap;

    @BeforeEach
    void setUp() {
        assumeTrue(Checked.ENABLED, "run with -Dhako.checked=true (the 'checked' surefire execution)");
        hako = TestHako.create();
        heap = hako.heap();
    }

    @AfterEach
    void tearDown() {
        if (hako != null) hako.close();
    }

    private static IllegalArgumentException assertDoubleFree(Executable call, long address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(hex(address)), e.getMessage());
        return e;
    }

    private void assertStillWorks(long live) {
        long a = heap.malloc(64), b = heap.malloc(5000);
        TestHako.fill(a, 64, 1);
        TestHako.fill(b, 5000, 2);
        heap.free(a);
        heap.free(b);
        assertBalanced(hako, live);
    }

    /**
     * A large block freed twice after the program allocated another large block of the same size: the kernel (or a
     * pool) would give the same address back, and the second free would free the new block. Checked mode holds freed
     * large blocks back, so the second free is refused and the new block is intact.
     */
    @Test
    void doubleFreeOfALargeBlockAfterReuseShouldThrow() {
        long p = heap.malloc(1 << 20);
        heap.free(p);
        long q = heap.malloc(1 << 20);
        TestHako.fill(q, 1 << 20, 7);
        assertThrows(IllegalArgumentException.class, () -> heap.free(p));
        TestHako.assertPattern(q, 1 << 20, 7);
        heap.free(q);
        assertThrows(IllegalArgumentException.class, () -> heap.free(q));
        assertEquals(0, hako.stats().largeBytes());
    }

    @Test
    void aLargeBlockUsedFromAForeignThreadShouldThrow() throws Exception {
        long p = heap.malloc(1 << 20);
        try (OtherThread other = new OtherThread("foreign")) {
            assertThrows(IllegalStateException.class, () -> other.run(() -> heap.free(p)));
            assertThrows(IllegalStateException.class, () -> other.run(() -> heap.malloc(1 << 20)));
        }
        heap.free(p);
    }

    @Test
    void doubleFreeOnTheOwningThreadShouldThrow() {
        for (long size : new long[] {16, 100, 2048, 3000, 65536}) {
            long a = heap.malloc(size);
            heap.free(a);
            IllegalArgumentException e = assertDoubleFree(() -> heap.free(a), a);
            assertTrue(e.getMessage().contains("double free"), e.getMessage());
        }
        assertStillWorks(0);
    }

    @Test
    void doubleFreeFromAnotherThreadShouldThrow() throws Exception {
        long a = heap.malloc(256);
        try (OtherThread other = new OtherThread("freer")) {
            other.run(() -> hako.free(a)); // remote free
            assertDoubleFree(() -> other.run(() -> hako.free(a)), a);
            assertDoubleFree(() -> heap.free(a), a);
        }
        hako.flushDeadThreads();
        assertStillWorks(0); // the audit finds the block free exactly once
    }

    @Test
    void doubleFreeAfterTheBlockWasReusedShouldThrowOnlyForTheStaleFree() {
        long a = heap.malloc(48);
        heap.free(a);
        long again = heap.malloc(48);
        assertEquals(a, again);
        heap.free(again);
        assertDoubleFree(() -> heap.free(a), a);
        assertStillWorks(0);
    }

    @Test
    void freeOfABlockNeverHandedOutShouldThrowEvenInACarvedPage() {
        long a = heap.malloc(16); // carves the first 64 of 4096 blocks of the page
        long never = (a & -SizeClasses.PAGE) + 4000 * 16L;
        assertDoubleFree(() -> heap.free(never), never);
        long cached = a + 16; // carved into the cache, never handed out
        assertDoubleFree(() -> heap.free(cached), cached);
        heap.free(a);
        assertStillWorks(0);
    }

    @Test
    void interiorPointersShouldThrow() {
        long a = heap.malloc(3000);
        for (long off : new long[] {8, 16, 1024, 3056}) {
            assertDoubleFree(() -> heap.free(a + off), a + off);
        }
        heap.free(a);
        assertStillWorks(0);
    }

    @Test
    void reallocOfAFreedBlockShouldThrowAndLeakNothing() {
        long a = heap.malloc(100);
        heap.free(a);
        assertDoubleFree(() -> heap.realloc(a, 5000), a); // would move
        assertDoubleFree(() -> heap.realloc(a, 100), a); // would stay
        assertStillWorks(0);
    }

    @Test
    void exclusiveHeapUsedFromAnotherThreadShouldThrowAndChangeNothing() throws Exception {
        long a = heap.malloc(64);
        AtomicReference<Throwable> onMalloc = new AtomicReference<>(), onFree = new AtomicReference<>(),
                onCalloc = new AtomicReference<>();
        TestHako.inThread("intruder", () -> {
            onMalloc.set(catching(() -> heap.malloc(64)));
            onCalloc.set(catching(() -> heap.calloc(1, 128)));
            onFree.set(catching(() -> heap.free(a)));
            catching(() -> heap.malloc(5000)); // a class the heap has no block of yet: must not carve either
        });
        for (Throwable t : new Throwable[] {onMalloc.get(), onFree.get(), onCalloc.get()}) {
            assertTrue(t instanceof IllegalStateException, String.valueOf(t));
            assertTrue(t.getMessage().contains("intruder"), t.getMessage());
        }
        hako.flushDeadThreads();
        assertBalanced(hako, 1);
        heap.free(a); // still live, still ours
        assertStillWorks(0);
    }

    private static Throwable catching(Executable call) {
        try {
            call.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
