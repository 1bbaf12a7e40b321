package dev.hako;

import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.hako.TestHako.assertBalanced;
import static dev.hako.TestHako.assertPattern;
import static dev.hako.TestHako.fill;
import static dev.hako.TestHako.firstNonZero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** malloc, usableSize, alignment, alignedAlloc, realloc, calloc and the MemorySegment views, on one thread. */
class AllocationApiTest {

    @Test
    void everyClassShouldServeItsSizes16ByteAlignedWithItsUsableSize() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            List<long[]> live = new ArrayList<>();
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                long classSize = SizeClasses.size(c);
                long below = c == 0 ? 1 : SizeClasses.size(c - 1) + 1;
                for (long size : new long[] {below, (below + classSize) / 2, classSize}) {
                    long a = heap.malloc(size);
                    assertEquals(0, a % 16, "alignment of a " + size + "-byte block");
                    assertEquals(classSize, heap.usableSize(a), "usable size of a " + size + "-byte block");
                    assertEquals(classSize, hako.usableSize(a));
                    fill(a, classSize, a ^ c); // the whole usable size is writable
                    live.add(new long[] {a, classSize, a ^ c});
                }
            }
            assertNoOverlap(live);
            for (long[] b : live) assertPattern(b[0], b[1], b[2]);
            assertBalanced(hako, live.size());
            for (long[] b : live) heap.free(b[0]);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void largeBlocksShouldBePageAlignedWithPageRoundedUsableSizeAndGoBackOnFree() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            long[] sizes = {SizeClasses.MAX_SIZE + 1, 65536 + 4096, 100_000, 1 << 20, (3 << 20) + 5};
            List<long[]> live = new ArrayList<>();
            for (long size : sizes) {
                long a = heap.malloc(size);
                assertEquals(0, a % SizeClasses.PAGE, "large blocks are whole arena pages");
                long usable = heap.usableSize(a);
                assertEquals((size + SizeClasses.PAGE - 1) & -SizeClasses.PAGE, usable);
                fill(a, usable, size);
                live.add(new long[] {a, usable, size});
            }
            assertNoOverlap(live);
            assertEquals(live.stream().mapToLong(b -> b[1]).sum(), hako.stats().largeBytes());
            for (long[] b : live) {
                assertPattern(b[0], b[1], b[2]);
                heap.free(b[0]);
            }
            assertEquals(0, hako.stats().largeBytes());
            assertBalanced(hako, 0);
        }
    }

    @Test
    void alignedAllocShouldAlignEveryPowerOfTwoUpTo4MiB() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            List<long[]> live = new ArrayList<>();
            long pageBlocks = 0;
            for (long alignment = 1; alignment <= 4L << 20; alignment <<= 1) {
                long[] sizes = {1, 8, 16, 17, alignment - 1, alignment, alignment + 1, 3 * alignment + 5, 2048, 2049,
                        SizeClasses.MAX_SIZE, SizeClasses.MAX_SIZE + 1};
                for (long size : sizes) {
                    if (size <= 0) continue;
                    long a = heap.alignedAlloc(alignment, size);
                    assertEquals(0, a % alignment, () -> "alignedAlloc(" + "alignment, " + size + ") misaligned");
                    assertEquals(0, a % 16);
                    long usable = heap.usableSize(a);
                    assertTrue(usable >= size, "usable " + usable + " < " + size);
                    fill(a, usable, alignment * 31 + size);
                    live.add(new long[] {a, usable, alignment * 31 + size});
                    if (size <= SizeClasses.MAX_SIZE && alignment <= SizeClasses.PAGE) pageBlocks++;
                }
            }
            assertNoOverlap(live);
            for (long[] b : live) assertPattern(b[0], b[1], b[2]);
            assertBalanced(hako, pageBlocks);
            for (long[] b : live) heap.free(b[0]);
            assertBalanced(hako, 0);
            assertEquals(0, hako.stats().largeBytes());
        }
    }

    @Test
    void alignedAllocUpToAPageShouldUseAClassWhoseBlocksAreAllAligned() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            for (long alignment = 32; alignment <= SizeClasses.PAGE; alignment <<= 1) {
                // many blocks of the same class: every one of them, not only the first of a page, is aligned
                List<Long> blocks = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    long a = heap.alignedAlloc(alignment, alignment / 2 + 1);
                    assertEquals(0, a % alignment, "block " + i + " for alignment " + alignment);
                    blocks.add(a);
                }
                blocks.forEach(heap::free);
            }
            assertBalanced(hako, 0);
        }
    }

    @Test
    void reallocShouldPreserveContentsAcrossSmallMediumLargeAndBack() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            long[] path = {24, 100, 2048, 2049, 5000, 65536, 65537, 300_000, 2 << 20, 70_000, 40_000, 3000, 1000, 16, 1,
                    48, 16};
            long seed = 7;
            long size = path[0];
            long a = heap.malloc(size);
            fill(a, size, seed);
            for (int i = 1; i < path.length; i++) {
                long newSize = path[i];
                long b = heap.realloc(a, newSize);
                long kept = Math.min(size, newSize);
                long bad = TestHako.checkMoved(b, a, kept, seed);
                assertEquals(-1, bad, "realloc " + size + " -> " + newSize + " lost contents at +" + bad);
                assertTrue(heap.usableSize(b) >= newSize);
                assertEquals(0, b % 16);
                a = b;
                size = newSize;
                seed++;
                fill(a, size, seed);
            }
            heap.free(a);
            assertBalanced(hako, 0);
            assertEquals(0, hako.stats().largeBytes());
        }
    }

    @Test
    void reallocShouldKeepABlockThatStillFitsAndMoveOneThatWouldWasteHalf() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            long a = heap.malloc(1000); // class 1008
            assertEquals(a, heap.realloc(a, 1008), "grows within its usable size: stays");
            assertEquals(a, heap.realloc(a, 600), "shrinks by less than half: stays");
            long b = heap.realloc(a, 100);
            assertNotEquals(a, b, "shrinking to under half moves");
            assertEquals(112, heap.usableSize(b));
            heap.free(b);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void reallocOfZeroShouldBeMalloc() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            long a = heap.realloc(0, 100);
            assertNotEquals(0, a);
            assertEquals(112, heap.usableSize(a));
            long big = hako.realloc(0, 1 << 20);
            assertEquals(1 << 20, heap.usableSize(big));
            heap.free(a);
            heap.free(big);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void callocShouldZeroReusedDirtyBlocksOfEveryKind() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            long[] sizes = {1, 16, 24, 100, 2048, 2049, 3000, 4096, 10_000, 40_000, 65536, 65537, 500_000};
            for (long size : sizes) {
                // dirty a set of blocks of the class, free them, then calloc must hand back zeroed memory
                List<Long> dirty = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    long d = heap.malloc(size);
                    long usable = heap.usableSize(d);
                    TestHako.ALL.asSlice(d, usable).fill((byte) 0xA5);
                    dirty.add(d);
                }
                Set<Long> reusable = new HashSet<>(dirty);
                dirty.forEach(heap::free);
                for (int i = 0; i < 8; i++) {
                    long z = heap.calloc(1, size);
                    // While the cache holds all eight, calloc must get one of them back (and zero it).
                    if (size <= SizeClasses.MAX_SIZE && SizeClasses.cacheCap(SizeClasses.classOf(size)) >= 8) {
                        assertTrue(reusable.contains(z), "calloc reuses a freed block");
                    }
                    assertEquals(-1, firstNonZero(z, size), "calloc(1, " + size + ") not zero");
                    dirty.set(i, z);
                }
                dirty.forEach(heap::free);
            }
            // count * size
            long z = heap.calloc(7, 300);
            assertTrue(heap.usableSize(z) >= 2100);
            assertEquals(-1, firstNonZero(z, 2100));
            heap.free(z);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void callocThroughASharedHeapShouldZeroToo() throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().virtualHeaps(0).build())) {
            Thread t = Thread.ofVirtual().start(() -> {
                Heap heap = hako.heap();
                assertTrue(heap.isShared());
                long d = heap.malloc(3000);
                TestHako.ALL.asSlice(d, 3072).fill((byte) -1);
                heap.free(d);
                long z = heap.calloc(3, 1000);
                assertEquals(d, z);
                assertEquals(-1, firstNonZero(z, 3000));
                heap.free(z);
            });
            t.join();
            assertBalanced(hako, 0);
        }
    }

    @Test
    void segmentViewsShouldHaveTheRequestedSizeAndBeFreeable() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            MemorySegment s = heap.allocate(100);
            assertEquals(100, s.byteSize());
            assertEquals(0, s.address() % 16);
            s.fill((byte) 3);
            assertEquals(3, s.get(ValueLayout.JAVA_BYTE, 99));
            MemorySegment aligned = heap.allocate(300, 256);
            assertEquals(300, aligned.byteSize());
            assertEquals(0, aligned.address() % 256);
            MemorySegment viaAllocator = hako.allocate(5000);
            assertEquals(5000, viaAllocator.byteSize());
            MemorySegment alignedViaAllocator = hako.allocate(64, 4096);
            assertEquals(0, alignedViaAllocator.address() % 4096);
            assertBalanced(hako, 4);
            heap.free(s);
            hako.free(aligned);
            hako.free(viaAllocator);
            heap.free(alignedViaAllocator);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void segmentAllocatorShouldHonourLayoutsAndServeZeroSizeRequests() {
        try (HakoAllocator hako = TestHako.create()) {
            SegmentAllocator sa = hako.segmentAllocator();
            MemorySegment l = sa.allocate(ValueLayout.JAVA_LONG);
            assertEquals(8, l.byteSize());
            assertEquals(0, l.address() % 8);
            l.set(ValueLayout.JAVA_LONG, 0, 42L);
            MemorySegment str = sa.allocateFrom("hako");
            assertEquals("hako", str.getString(0));
            MemorySegment wide = sa.allocate(1000, 512);
            assertEquals(0, wide.address() % 512);
            MemorySegment arr = sa.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);
            assertEquals(3, arr.getAtIndex(ValueLayout.JAVA_INT, 2));
            MemorySegment empty = sa.allocate(0);
            assertEquals(0, empty.byteSize());
            assertNotEquals(0, empty.address(), "a zero-byte request is backed by a real block");
            MemorySegment emptyAligned = sa.allocate(0, 4096);
            assertEquals(0, emptyAligned.address() % 4096);
            assertBalanced(hako, 6);
            for (MemorySegment s : new MemorySegment[] {l, str, wide, arr, empty, emptyAligned}) hako.free(s);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void heapHandleShouldBeTheSameObjectForTheSameThread() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            assertSame(heap, hako.heap());
            assertTrue(heap.ownerId() >= 1);
            long a = hako.malloc(64); // through the allocator's ThreadLocal: same heap, same owner
            heap.free(a);
            assertEquals(a, heap.malloc(64), "LIFO reuse through the same cache");
            hako.free(a);
            assertBalanced(hako, 0);
        }
    }

    static void assertNoOverlap(List<long[]> blocks) {
        List<long[]> sorted = new ArrayList<>(blocks);
        sorted.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
        for (int i = 1; i < sorted.size(); i++) {
            long[] prev = sorted.get(i - 1), cur = sorted.get(i);
            assertTrue(Long.compareUnsigned(prev[0] + prev[1], cur[0]) <= 0,
                    () -> String.format("blocks 0x%x (+%d) and 0x%x overlap", prev[0], prev[1], cur[0]));
        }
    }
}
