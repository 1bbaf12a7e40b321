package dev.hako;

import dev.hako.check.Checked;
import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.hako.TestHako.assertBalanced;
import static dev.hako.TestHako.assertPattern;
import static dev.hako.TestHako.fill;
import static dev.hako.TestHako.hex;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Every bad input of issue 2 item 8, and after each one: the allocator still works, the program's blocks still hold
 * their contents, and the audit still balances ("nothing is corrupted"). Runs again in checked mode (tag
 * {@code checked-too}), whose free path checks more before it changes anything.
 */
@Tag("checked-too")
class BadInputTest {
    private static final long ARENA = 1L << 30;

    private HakoAllocator hako;
    private Heap heap;
    /** Blocks the test holds across the bad calls: {address, size, seed}. */
    private final List<long[]> held = new ArrayList<>();

    @BeforeEach
    void setUp() {
        hako = HakoAllocator.create(TestHako.config().arenaBytes(ARENA).build());
        heap = hako.heap();
        long[] sizes = {16, 32, 100, 2048, 3000, 65536, 200_000};
        for (long size : sizes) {
            long a = heap.malloc(size);
            fill(a, size, size);
            held.add(new long[] {a, size, size});
        }
    }

    @AfterEach
    void tearDown() {
        hako.close();
    }

    /** The held blocks are intact, the books balance, and the allocator still allocates and frees. */
    private void assertNothingCorrupted() {
        for (long[] b : held) assertPattern(b[0], b[1], b[2]);
        long pageBlocks = held.stream().filter(b -> b[1] <= SizeClasses.MAX_SIZE).count();
        assertBalanced(hako, pageBlocks);
        List<Long> fresh = new ArrayList<>();
        for (long size : new long[] {16, 32, 100, 2048, 3000, 65536, 200_000}) {
            for (int i = 0; i < 3; i++) {
                long a = heap.malloc(size);
                for (long[] b : held) {
                    assertTrue(a + size <= b[0] || b[0] + b[1] <= a, "fresh block overlaps a held one");
                }
                fill(a, size, 99);
                fresh.add(a);
            }
        }
        fresh.forEach(heap::free);
        for (long[] b : held) assertPattern(b[0], b[1], b[2]);
        assertBalanced(hako, pageBlocks);
    }

    private long held(int i) {
        return held.get(i)[0];
    }

    private static void assertRejected(Executable call, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, what);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": a message");
    }

    private static void assertRejectsAddress(Executable call, long address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, hex(address));
        assertTrue(e.getMessage().contains(hex(address)), "message names " + hex(address) + ": " + e.getMessage());
    }

    // ------------------------------------------------------------------ sizes and alignments

    @Test
    void mallocShouldRejectNonPositiveAndAbsurdSizes() {
        for (long size : new long[] {0, -1, -16, Integer.MIN_VALUE, Long.MIN_VALUE, HakoAllocator.MAX_ALLOCATION + 1,
                Long.MAX_VALUE, 1L << 62}) {
            assertRejected(() -> heap.malloc(size), "malloc(" + size + ")");
            assertRejected(() -> hako.malloc(size), "allocator malloc(" + size + ")");
            assertRejected(() -> heap.allocate(size), "allocate(" + size + ")");
        }
        assertNothingCorrupted();
    }

    @Test
    void callocShouldRejectNonPositiveArgumentsOverflowAndAbsurdProducts() {
        long[][] bad = {{0, 8}, {8, 0}, {-1, 8}, {8, -1}, {0, 0}, {Long.MAX_VALUE, 2}, {2, Long.MAX_VALUE},
                {1L << 32, 1L << 32}, {1L << 23, 1L << 23}, {3, Long.MAX_VALUE / 2}, {Long.MIN_VALUE, -1}};
        for (long[] args : bad) {
            assertRejected(() -> heap.calloc(args[0], args[1]), "calloc(" + args[0] + ", " + args[1] + ")");
        }
        assertNothingCorrupted();
    }

    @Test
    void alignedAllocShouldRejectAlignmentsThatAreNotPositivePowersOfTwo() {
        for (long alignment : new long[] {0, -1, -16, 3, 24, 48, 100, 4097, (1L << 20) + 1, Long.MIN_VALUE,
                Long.MAX_VALUE}) {
            assertRejected(() -> heap.alignedAlloc(alignment, 64), "alignedAlloc(" + alignment + ", 64)");
            assertRejected(() -> hako.allocate(64, alignment), "allocate(64, " + alignment + ")");
        }
        for (long size : new long[] {0, -1, Long.MIN_VALUE, HakoAllocator.MAX_ALLOCATION + 1}) {
            for (long alignment : new long[] {1, 16, 64, 4096, 1 << 20}) {
                assertRejected(() -> heap.alignedAlloc(alignment, size), "alignedAlloc(" + alignment + ", " + size + ")");
            }
        }
        assertNothingCorrupted();
    }

    // ------------------------------------------------------------------ free

    @Test
    void freeOfZeroShouldDoNothing() {
        heap.free(0);
        hako.free(0);
        heap.free(MemorySegment.NULL);
        assertNothingCorrupted();
    }

    @Test
    void freeOutsideTheArenaShouldNameTheAddress() {
        long inArena = held(0);
        long base = inArena & -SizeClasses.PAGE; // first page carved: the arena base
        try (Arena arena = Arena.ofConfined()) {
            long foreignNative = arena.allocate(64, 16).address();
            long[] addresses = {foreignNative, 8, 16, -16, Long.MIN_VALUE, Long.MAX_VALUE & -16L, base - 16,
                    base - SizeClasses.PAGE, base + ARENA, base + ARENA + 4096, held(6) + 4096, held(6) - 4096};
            for (long address : addresses) {
                assertRejectsAddress(() -> heap.free(address), address);
                assertRejectsAddress(() -> hako.free(address), address);
                assertRejectsAddress(() -> heap.usableSize(address), address);
            }
        }
        assertNothingCorrupted();
    }

    @Test
    void freeInsideTheArenaOnAnUncarvedPageShouldNameTheAddress() {
        long base = held(0) & -SizeClasses.PAGE;
        long[] addresses = {base + ARENA / 2, base + ARENA - SizeClasses.PAGE, base + ARENA - 16,
                base + 64 * SizeClasses.PAGE};
        for (long address : addresses) {
            assertRejectsAddress(() -> heap.free(address), address);
            assertRejectsAddress(() -> heap.usableSize(address), address);
        }
        assertNothingCorrupted();
    }

    @Test
    void freeOfAnInteriorPointerOfALiveBlockShouldNameTheAddress() {
        List<Long> interior = new ArrayList<>();
        for (long[] b : held) {
            long a = b[0], usable = heap.usableSize(a);
            for (long off : new long[] {1, 8, 15, 16, usable / 2, usable - 16, usable - 1}) {
                if (off > 0 && off < usable) interior.add(a + off);
            }
        }
        for (long address : interior) {
            assertRejectsAddress(() -> heap.free(address), address);
            assertRejectsAddress(() -> heap.usableSize(address), address);
        }
        assertNothingCorrupted();
    }

    @Test
    void freeInThePageTailBehindTheLastBlockShouldNameTheAddress() {
        long a = held(4); // 3000 -> class 3072: 21 blocks, a 1024-byte tail behind the last one
        long page = a & -SizeClasses.PAGE;
        long tail = page + 21 * 3072L;
        for (long address : new long[] {tail, tail + 512, page + SizeClasses.PAGE - 16}) {
            assertRejectsAddress(() -> heap.free(address), address);
        }
        assertNothingCorrupted();
    }

    @Test
    void freeOfAFreedLargeBlockShouldNameTheAddress() {
        long big = heap.malloc(1 << 20);
        heap.free(big);
        assertRejectsAddress(() -> heap.free(big), big);
        assertRejectsAddress(() -> heap.usableSize(big), big);
        assertNothingCorrupted();
    }

    @Test
    void freeOfAForeignAddressFromAnotherThreadShouldNameTheAddress() throws Exception {
        long interiorPointer = held(1) + 16;
        long base = held(0) & -SizeClasses.PAGE;
        Throwable[] seen = new Throwable[2];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                hako.free(interiorPointer);
            } catch (Throwable e) {
                seen[0] = e;
            }
            try {
                hako.free(base + ARENA / 2);
            } catch (Throwable e) {
                seen[1] = e;
            }
        });
        t.join();
        assertTrue(seen[0] instanceof IllegalArgumentException && seen[0].getMessage().contains(hex(interiorPointer)),
                String.valueOf(seen[0]));
        assertTrue(seen[1] instanceof IllegalArgumentException, String.valueOf(seen[1]));
        hako.flushDeadThreads();
        assertNothingCorrupted();
    }

    /**
     * A block start that lies in a carved page but past the carving cursor was never handed out. Hako accepts it
     * outside checked mode: the block goes into the cache and is later handed out again when carving reaches it.
     */
    @Test
    @Disabled("bug: free of a never-allocated block start inside a carved page (past the carve cursor) is accepted"
            + " outside checked mode; the block is then handed out twice (see the review, ThreadCache#doFree)")
    void freeOfAnUncarvedBlockInACarvedPageShouldBeRejected() {
        assumeFalse(Checked.ENABLED);
        long a = held(0); // 16 bytes: 4096 blocks per page, 64 carved so far
        long never = (a & -SizeClasses.PAGE) + 4000 * 16L;
        assertRejectsAddress(() -> heap.free(never), never);
        assertNothingCorrupted();
    }

    // ------------------------------------------------------------------ realloc

    @Test
    void reallocOfABadAddressShouldLeaveEveryBlockIntact() {
        long base = held(0) & -SizeClasses.PAGE;
        long[] addresses = {held(2) + 16, held(3) + 8, held(6) + 4096, base + ARENA / 2, base + ARENA, -16, 8};
        for (long address : addresses) {
            assertRejectsAddress(() -> heap.realloc(address, 64), address);
            assertRejectsAddress(() -> heap.realloc(address, 1 << 20), address);
        }
        assertNothingCorrupted();
    }

    @Test
    void reallocToABadSizeShouldLeaveTheOldBlockIntact() {
        for (long[] b : held) {
            for (long size : new long[] {0, -1, Long.MIN_VALUE, HakoAllocator.MAX_ALLOCATION + 1, Long.MAX_VALUE}) {
                assertRejected(() -> heap.realloc(b[0], size), "realloc(" + hex(b[0]) + ", " + size + ")");
            }
            assertEquals(b[0], heap.realloc(b[0], heap.usableSize(b[0])), "the block is still usable and live");
        }
        assertRejected(() -> heap.realloc(0, 0), "realloc(0, 0)");
        assertRejected(() -> heap.realloc(0, -5), "realloc(0, -5)");
        assertNothingCorrupted();
    }

    // ------------------------------------------------------------------ exhaustion

    @Test
    void exhaustedArenaShouldThrowOutOfMemoryErrorWithAClearMessageAndStayUsable() {
        try (HakoAllocator tiny = HakoAllocator.create(TestHako.config().arenaBytes(16 * SizeClasses.PAGE).build())) {
            Heap h = tiny.heap();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 16; i++) blocks.add(h.malloc(SizeClasses.MAX_SIZE)); // one block per page
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> h.malloc(SizeClasses.MAX_SIZE));
            assertTrue(e.getMessage().contains("hako.arena"), e.getMessage());
            assertThrows(OutOfMemoryError.class, () -> h.malloc(16), "another class needs a page too");
            assertThrows(OutOfMemoryError.class, () -> h.calloc(1, 16));
            long large = assertDoesNotThrow(() -> h.malloc(1 << 20), "large blocks do not need the arena");
            h.free(large);
            assertBalanced(tiny, 16);
            long reused = blocks.remove(3);
            h.free(reused);
            assertEquals(reused, h.malloc(SizeClasses.MAX_SIZE), "a freed block is still served after the OOM");
            blocks.add(reused);
            blocks.forEach(h::free);
            assertBalanced(tiny, 0);
        }
        assertNothingCorrupted();
    }
}
