package dev.hako.layout;

import dev.hako.Residency;
import dev.hako.memory.AddressSpace;
import dev.hako.memory.NativeMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs of pages: taken from the frontier, given back, coalesced, reused for any size, purged after the delay. */
class PagePoolTest {
    static final long PAGE = SizeClasses.PAGE;

    /** A pool over a small arena with a hand-driven clock. */
    static final class Fixture implements AutoCloseable {
        final AddressSpace space;
        final PageMap map;
        final PagePool pool;
        final AtomicLong now = new AtomicLong(1_000);

        Fixture(int pages) {
            space = new AddressSpace(pages * PAGE, PAGE, 4L << 20);
            map = new PageMap(space);
            pool = new PagePool(map, space, now::get, false);
        }

        long take(int pages) {
            return pool.take(pages, PageMap.tag(1, 0), PageMap.tag(1, 0)) & -PAGE;
        }

        /** The free runs as "page:pages:state" strings, in address order. */
        List<String> runs() {
            List<String> out = new ArrayList<>();
            pool.forEachFreeRun((a, n, clean) -> out.add(map.pageIndex(a) + ":" + n + (clean ? ":clean" : ":dirty")));
            return out;
        }

        @Override
        public void close() {
            pool.close();
            space.close();
        }
    }

    @Test
    void pagesShouldComeFromTheFrontierBottomUpTaggedAndWritable() {
        try (Fixture f = new Fixture(16)) {
            for (int i = 0; i < 16; i++) {
                long page = f.pool.take(1, PageMap.tag(1 + i, i), 0);
                assertEquals(0, page & PagePool.NOT_ZEROED, "frontier pages read zero");
                assertEquals(f.map.base() + i * PAGE, page);
                assertEquals(PageMap.tag(1 + i, i), f.map.tagAt(page));
                NativeMemory.setLongPlain(page + PAGE - 8, 42); // committed: writable
                assertEquals(42, NativeMemory.getLongPlain(page + PAGE - 8));
            }
            assertEquals(16 * PAGE, f.pool.usedBytes());
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> f.take(1));
            assertTrue(e.getMessage().contains("exhausted") && e.getMessage().contains("hako.arena"), e.getMessage());
            assertEquals(16 * PAGE, f.pool.usedBytes(), "a failed take changes nothing");
            assertEquals(f.map.base() + 16 * PAGE, f.pool.frontierAddress());
        }
    }

    @Test
    void releasedRunsShouldCoalesceAndServeAnySize() {
        try (Fixture f = new Fixture(64)) {
            long[] p = new long[8];
            for (int i = 0; i < 8; i++) p[i] = f.take(1);
            f.pool.release(p[1], 1);
            f.pool.release(p[3], 1);
            assertEquals(List.of("1:1:dirty", "3:1:dirty"), f.runs());
            f.pool.release(p[2], 1); // joins both neighbours
            assertEquals(List.of("1:3:dirty"), f.runs());
            assertEquals(0, f.map.tagAt(p[2]), "a pooled page has no tag");
            long big = f.pool.take(3, PageMap.LARGE_HEAD_CODE, PageMap.LARGE_BODY_CODE);
            assertEquals(p[1], big & -PAGE, "the run is reused for a large block");
            assertNotEquals(0, big & PagePool.NOT_ZEROED, "a dirty run may hold old data");
            assertEquals(PageMap.LARGE_HEAD_CODE, f.map.tagAt(p[1]));
            assertEquals(PageMap.LARGE_BODY_CODE, f.map.tagAt(p[3]));
            assertEquals(3, f.pool.largeBlockPages(p[1]));
            assertEquals(-1, f.pool.largeBlockPages(p[2]), "only the head starts a large block");
            assertEquals(3, f.pool.releaseLargeBlock(p[1]));
            assertEquals(-1, f.pool.releaseLargeBlock(p[1]), "a second release finds no block");
            assertEquals(List.of("1:3:dirty"), f.runs());
            long one = f.take(1);
            assertEquals(p[1], one, "a small page comes from the dirty run, lowest page first");
            assertEquals(List.of("2:2:dirty"), f.runs());
        }
    }

    @Test
    void alignedTakesShouldLeaveTheHeadAndTailFree() {
        try (Fixture f = new Fixture(64)) {
            f.take(1); // page 0 in use: the frontier is now at page 1
            long a = f.pool.takeAligned(2, 8, PageMap.LARGE_HEAD_CODE, PageMap.LARGE_BODY_CODE) & -PAGE;
            assertEquals(0, a % (8 * PAGE), "aligned as an address");
            long[] free = {0};
            f.pool.forEachFreeRun((x, n, clean) -> {
                assertTrue(clean, "frontier pages go back untouched");
                free[0] += n;
            });
            assertEquals(7, free[0], "the unaligned head and tail of the 9 pages taken stay free");
            assertEquals(List.of(), f.runs().stream().filter(r -> r.startsWith(f.map.pageIndex(a) + ":")).toList());
        }
    }

    @Test
    void purgeShouldReturnOnlyRunsFreeForTheDelayAndLeaveThemZero() {
        try (Fixture f = new Fixture(64)) {
            long a = f.take(4), b = f.take(4);
            f.take(1);
            NativeMemory.fill(a, 4 * PAGE, (byte) 7);
            NativeMemory.fill(b, 4 * PAGE, (byte) 7);
            assertEquals(8 * PAGE, Residency.residentBytes(a, 8 * PAGE), "written pages are resident");
            f.pool.release(a, 4);
            f.now.addAndGet(600);
            f.pool.release(b, 4); // merged with a: the run is as old as its parts on average, 300 ms
            assertEquals(0, f.pool.purge(f.now.get() - 500), "nothing has been free for 500 ms on average");
            f.now.addAndGet(200);
            assertEquals(8 * PAGE, f.pool.purge(f.now.get() - 500));
            assertEquals(List.of("0:8:clean"), f.runs());
            assertEquals(8 * PAGE, f.pool.cleanBytes());
            assertEquals(0, f.pool.dirtyBytes());
            assertEquals(8 * PAGE, f.pool.purgedBytes());
            assertEquals(0, Residency.residentBytes(a, 8 * PAGE), "purged pages are no longer resident");
            long again = f.pool.take(8, PageMap.LARGE_HEAD_CODE, PageMap.LARGE_BODY_CODE);
            assertEquals(0, again & PagePool.NOT_ZEROED, "a clean run reads zero");
            assertEquals(0, NativeMemory.getLongPlain(a + 3 * PAGE + 64));
            NativeMemory.setLongPlain(a, 1); // re-committed by the kernel on touch
            assertEquals(1, NativeMemory.getLongPlain(a));
        }
    }

    /** Random takes and releases against a model: runs tile the frontier, nothing is handed out twice. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomTakesAndReleasesShouldKeepTheRunsTiled(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Fixture f = new Fixture(512)) {
            TreeMap<Long, Integer> used = new TreeMap<>();
            for (int step = 0; step < 3000; step++) {
                int op = rnd.nextInt(10);
                if (op < 5 || used.isEmpty()) {
                    int n = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(40) : 1;
                    int align = rnd.nextInt(8) == 0 ? 1 << rnd.nextInt(4) : 1;
                    long a;
                    try {
                        a = f.pool.takeAligned(n, align, PageMap.LARGE_HEAD_CODE, PageMap.LARGE_BODY_CODE) & -PAGE;
                    } catch (OutOfMemoryError full) {
                        continue;
                    }
                    assertEquals(0, a % (align * PAGE), "aligned");
                    var below = used.floorEntry(a);
                    assertTrue(below == null || below.getKey() + below.getValue() * PAGE <= a, "no overlap below");
                    var above = used.ceilingEntry(a);
                    assertTrue(above == null || a + n * PAGE <= above.getKey(), "no overlap above");
                    used.put(a, n);
                } else if (op < 9) {
                    Long a = new ArrayList<>(used.keySet()).get(rnd.nextInt(used.size()));
                    assertEquals(used.remove(a), f.pool.releaseLargeBlock(a));
                } else {
                    f.now.addAndGet(rnd.nextInt(300));
                    f.pool.purge(f.now.get() - 200);
                }
                if (step % 100 == 0) {
                    long usedPages = used.values().stream().mapToLong(Integer::longValue).sum();
                    long free = f.pool.forEachFreeRun((x, y, z) -> { });
                    assertEquals(f.pool.frontierAddress() - f.map.base(), (usedPages + free) * PAGE, "runs tile");
                    assertEquals(usedPages * PAGE, f.pool.usedBytes());
                    assertEquals(free * PAGE, f.pool.dirtyBytes() + f.pool.cleanBytes());
                }
            }
        }
    }
}
