package dev.hako.layout;

import dev.hako.events.HakoEvents;
import dev.hako.memory.AddressSpace;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.NativeTable;
import dev.hako.memory.OsMemory;

import java.util.function.LongSupplier;

/**
 * The arena's free pages: runs of contiguous pages that any owner may take for any size class, and that large
 * blocks are cut from. Freed runs coalesce with free neighbours of the same state; dirty runs (still resident) are
 * purged to the kernel once they have been free for the decay delay, and then stay in the pool as clean runs.
 *
 * <h2>States of a page, as the pool sees it</h2>
 * <pre>
 *   frontier (never handed out, reads zero) --take--> in use (tagged: small page or large block)
 *   in use --release--> DIRTY free run --purge (madvise)--> CLEAN free run
 *   DIRTY / CLEAN --take--> in use           (a CLEAN page is re-committed by the kernel when it is touched)
 * </pre>
 * Runs tile {@code [0, frontier)}: every page below the frontier belongs to exactly one run, in use or free.
 * Each run keeps its length and state in the records of its first and last page (boundary tags, as dlmalloc keeps
 * them), so a released run finds its free neighbours in O(1). Free runs wait in segregated lists by length (exact
 * up to 64 pages, then one list per power of two), dirty and clean apart; a take prefers dirty pages (resident,
 * cache-warm; the most recently freed first), then clean ones, then the frontier.
 *
 * <h2>Concurrency</h2>
 * Every method is {@code synchronized}: taking or releasing a run moves at least 64 KiB, so the monitor costs
 * nothing per block. Page tags are written here, under the lock, so that the tag map never shows a pooled page as
 * owned. A purge claims its runs under the lock (state {@code PURGING}: no take, no coalescing), calls
 * {@code madvise} outside it, and publishes them as clean under the lock again (claim, purge, publish).
 */
public final class PagePool {
    /** Free-run states, kept in the first and last page record of a run; 0 means the page is in use. */
    static final int IN_USE = 0;
    static final int DIRTY = 1;
    static final int CLEAN = 2;
    static final int PURGING = 3;

    /** Bit set in {@link #take}'s result when the run may hold old data: callers that must hand out zeros check it. */
    public static final long NOT_ZEROED = 1;

    // ---- per-page record, native, 32 bytes ----
    private static final long RECORD = 32;
    private static final long R_RUN = 0;
    private static final long R_KIND = 4;
    private static final long R_STAMP = 8;
    private static final long R_NEXT = 16;
    private static final long R_PREV = 20;

    private static final int EXACT = 64;
    private static final int BINS = EXACT + 26;
    /** Runs purged per round: claimed together, then madvised without the lock. */
    private static final int PURGE_BATCH = 256;

    private final PageMap map;
    private final AddressSpace space;
    private final NativeTable records;
    private final int totalPages;
    private final LongSupplier nowMillis;
    private final boolean madviseFree;
    private final int[] dirtyHeads = new int[BINS];
    private final int[] cleanHeads = new int[BINS];
    private int frontier;
    private long dirtyPages;
    private long cleanPages;
    private long usedPages;
    private long purgedBytes;
    private long purgeFailures;

    /**
     * @param nowMillis   the clock of dirty stamps and decay (tests inject one)
     * @param madviseFree purge with {@code MADV_FREE} instead of {@code MADV_DONTNEED}
     */
    public PagePool(PageMap map, AddressSpace space, LongSupplier nowMillis, boolean madviseFree) {
        this.map = map;
        this.space = space;
        this.totalPages = map.pageCount();
        this.nowMillis = nowMillis;
        this.madviseFree = madviseFree;
        this.records = new NativeTable(totalPages, RECORD, "the page pool's records");
    }

    // ================================================================ take

    /**
     * Takes a run of {@code pages} pages and tags it: the first page {@code headTag}, the others {@code bodyTag}.
     *
     * @return the run's address, with {@link #NOT_ZEROED} set when it came from a dirty run
     * @throws OutOfMemoryError when no free run fits and the arena has no room left (or the kernel refuses to
     *                          commit it)
     */
    public synchronized long take(int pages, int headTag, int bodyTag) {
        int p = takeFree(dirtyHeads, pages);
        boolean zeroed = false;
        if (p < 0) {
            p = takeFree(cleanHeads, pages);
            zeroed = p >= 0 && !madviseFree; // MADV_FREE pages may still hold their old data
        }
        if (p < 0) {
            p = takeFrontier(pages);
            zeroed = true;
        }
        markInUse(p, pages, headTag, bodyTag);
        return map.pageAddress(p) | (zeroed ? 0 : NOT_ZEROED);
    }

    /**
     * Takes a run of {@code pages} pages whose address is a multiple of {@code alignPages} pages (a power of two),
     * tagged as {@link #take} does. The unaligned head and tail of the run it is cut from stay free.
     */
    public synchronized long takeAligned(int pages, int alignPages, int headTag, int bodyTag) {
        if (alignPages <= 1) return take(pages, headTag, bodyTag);
        int want = Math.addExact(pages, alignPages - 1);
        int kind = DIRTY;
        int p = takeFree(dirtyHeads, want);
        if (p < 0) {
            kind = CLEAN;
            p = takeFree(cleanHeads, want);
        }
        boolean zeroed = kind == CLEAN && !madviseFree;
        if (p < 0) {
            p = takeFrontier(want); // frontier pages are untouched: what is not used goes back as clean
            zeroed = true;
        }
        long stamp = nowMillis.getAsLong();
        long basePage = map.base() >>> SizeClasses.PAGE_SHIFT; // alignment is of the address, not of the index
        int start = (int) ((((basePage + p) + alignPages - 1) & -(long) alignPages) - basePage);
        // The block's boundary records first, so that the pieces around it do not mistake it for a free run.
        markInUse(start, pages, headTag, bodyTag);
        if (start > p) insertFree(p, start - p, kind, stamp);
        int tail = p + want - (start + pages);
        if (tail > 0) insertFree(start + pages, tail, kind, stamp);
        return map.pageAddress(start) | (zeroed ? 0 : NOT_ZEROED);
    }

    private void markInUse(int p, int pages, int headTag, int bodyTag) {
        setRun(p, pages);
        setKind(p, IN_USE);
        setKind(p + pages - 1, IN_USE);
        map.setTag(p, headTag);
        for (int i = 1; i < pages; i++) map.setTag(p + i, bodyTag);
        usedPages += pages;
    }

    /** First fit from the segregated lists of one state, or -1; the rest of the run stays free. */
    private int takeFree(int[] heads, int pages) {
        for (int b = bin(pages); b < BINS; b++) {
            for (int link = heads[b]; link != 0; link = getInt(link - 1, R_NEXT)) {
                int p = link - 1;
                int run = run(p);
                if (run < pages) continue; // only the power-of-two bins hold runs of several lengths
                int kind = kind(p);
                unlink(heads, p);
                count(kind, -run);
                if (run > pages) insertLinked(p + pages, run - pages, kind, stamp(p));
                return p;
            }
        }
        return -1;
    }

    private int takeFrontier(int pages) {
        if ((long) frontier + pages > totalPages) {
            throw new OutOfMemoryError("Hako: arena of " + (map.size() >> 20) + " MiB exhausted;"
                    + " start the JVM with a larger -Dhako.arena (e.g. -Dhako.arena=256g)");
        }
        space.commitThrough(map.pageAddress(frontier + pages)); // throws OutOfMemoryError before anything changes
        int p = frontier;
        frontier += pages;
        return p;
    }

    // ================================================================ release

    /** Gives back the run of {@code pages} pages at {@code address} (taken by {@link #take}); it becomes dirty. */
    public synchronized void release(long address, int pages) {
        release(address, pages, nowMillis.getAsLong());
    }

    /**
     * {@link #release} of a run known to have been unused since {@code sinceMillis} (a quiet owner's pages): it
     * decays that much sooner.
     */
    public synchronized void release(long address, int pages, long sinceMillis) {
        int p = map.pageIndex(address);
        for (int i = 0; i < pages; i++) map.setTag(p + i, 0);
        usedPages -= pages;
        insertFree(p, pages, DIRTY, Math.min(sinceMillis, nowMillis.getAsLong()));
    }

    /** Pages of the large block at {@code address}, or -1 if no large block starts there. */
    public synchronized int largeBlockPages(long address) {
        int p = largeHead(address);
        return p < 0 ? -1 : run(p);
    }

    /** Gives back the large block at {@code address}; returns its pages, or -1 (nothing changed) if there is none. */
    public synchronized int releaseLargeBlock(long address) {
        int p = largeHead(address);
        if (p < 0) return -1;
        int pages = run(p);
        release(address, pages);
        return pages;
    }

    /**
     * Clears the tags of the large block at {@code address} but keeps its pages in use (checked mode's quarantine
     * gives them back later with {@link #release}); returns its pages, or -1 if there is none.
     */
    public synchronized int retireLargeBlock(long address) {
        int p = largeHead(address);
        if (p < 0) return -1;
        int pages = run(p);
        for (int i = 0; i < pages; i++) map.setTag(p + i, 0);
        return pages;
    }

    private int largeHead(long address) {
        if ((address & (SizeClasses.PAGE - 1)) != 0 || !map.contains(address)) return -1;
        int p = map.pageIndex(address);
        return PageMap.codeOf(map.tagOfPage(p)) == PageMap.LARGE_HEAD_CODE && kind(p) == IN_USE ? p : -1;
    }

    /**
     * Inserts a free run, merged with free neighbours of the same state. A merged run's stamp is the page-weighted
     * mean of its parts': one page freed now does not hold a large old run back from decaying (newest-wins did, by a
     * whole decay delay), and a large fresh run is not purged early because of an old page beside it.
     */
    private void insertFree(int p, int pages, int kind, long stamp) {
        if (p > 0 && kind(p - 1) == kind) {
            int left = run(p - 1);
            int head = p - left;
            stamp = weighted(stamp, pages, stamp(head), left);
            unlink(heads(kind), head);
            count(kind, -left);
            p = head;
            pages += left;
        }
        int right = p + pages;
        if (right < frontier && kind(right) == kind) {
            int len = run(right);
            stamp = weighted(stamp, pages, stamp(right), len);
            unlink(heads(kind), right);
            count(kind, -len);
            pages += len;
        }
        insertLinked(p, pages, kind, stamp);
    }

    private static long weighted(long a, long pagesA, long b, long pagesB) {
        return a + (b - a) * pagesB / (pagesA + pagesB);
    }

    /** Writes a free run's boundary records and links it at the front of its list. */
    private void insertLinked(int p, int pages, int kind, long stamp) {
        setRun(p, pages);
        setKind(p, kind);
        setRun(p + pages - 1, pages);
        setKind(p + pages - 1, kind);
        setStamp(p, stamp);
        int[] heads = heads(kind);
        int b = bin(pages);
        int first = heads[b];
        setInt(p, R_NEXT, first);
        setInt(p, R_PREV, 0);
        if (first != 0) setInt(first - 1, R_PREV, p + 1);
        heads[b] = p + 1;
        count(kind, pages);
    }

    private void unlink(int[] heads, int p) {
        int next = getInt(p, R_NEXT);
        int prev = getInt(p, R_PREV);
        if (prev != 0) setInt(prev - 1, R_NEXT, next);
        else heads[bin(run(p))] = next;
        if (next != 0) setInt(next - 1, R_PREV, prev);
    }

    // ================================================================ decay

    /**
     * Returns to the kernel every dirty run that has been free since {@code cutoffMillis} or earlier (all of them
     * for {@code Long.MAX_VALUE}); they stay in the pool as clean runs. A run whose {@code madvise} fails stays
     * dirty. Returns the bytes purged.
     */
    public long purge(long cutoffMillis) {
        Object event = HakoEvents.purgeBegin();
        long purged = 0;
        int runs = 0, failed = 0;
        int[] batch = new int[PURGE_BATCH * 2];
        for (;;) {
            int n = claimForPurge(cutoffMillis, batch);
            if (n == 0) break;
            boolean[] ok = new boolean[n];
            for (int i = 0; i < n; i++) {
                long address = map.pageAddress(batch[2 * i]);
                long bytes = (long) batch[2 * i + 1] << SizeClasses.PAGE_SHIFT;
                ok[i] = madviseFree ? OsMemory.discardLazily(address, bytes) : OsMemory.tryDiscard(address, bytes);
                if (ok[i]) purged += bytes;
                else failed++;
            }
            publishPurged(batch, ok, n);
            runs += n;
            if (n < PURGE_BATCH) break;
        }
        HakoEvents.purgeEnd(event, purged, runs - failed, failed, cutoffMillis == Long.MAX_VALUE);
        return purged;
    }

    private synchronized int claimForPurge(long cutoffMillis, int[] batch) {
        int n = 0;
        for (int b = 0; b < BINS && n < PURGE_BATCH; b++) {
            for (int link = dirtyHeads[b]; link != 0 && n < PURGE_BATCH; ) {
                int p = link - 1;
                link = getInt(p, R_NEXT);
                if (stamp(p) > cutoffMillis) continue;
                int run = run(p);
                unlink(dirtyHeads, p);
                count(DIRTY, -run);
                setKind(p, PURGING);
                setKind(p + run - 1, PURGING);
                batch[2 * n] = p;
                batch[2 * n + 1] = run;
                n++;
            }
        }
        return n;
    }

    private synchronized void publishPurged(int[] batch, boolean[] ok, int n) {
        long now = nowMillis.getAsLong();
        for (int i = 0; i < n; i++) {
            int p = batch[2 * i], run = batch[2 * i + 1];
            if (ok[i]) {
                purgedBytes += (long) run << SizeClasses.PAGE_SHIFT;
                insertFree(p, run, CLEAN, now);
            } else {
                purgeFailures++;
                insertFree(p, run, DIRTY, now);
            }
        }
    }

    // ================================================================ gauges and audits

    public synchronized long dirtyBytes() {
        return dirtyPages << SizeClasses.PAGE_SHIFT;
    }

    public synchronized long cleanBytes() {
        return cleanPages << SizeClasses.PAGE_SHIFT;
    }

    public synchronized long usedBytes() {
        return usedPages << SizeClasses.PAGE_SHIFT;
    }

    /** Bytes returned to the kernel by purges since the start (a page purged twice counts twice). */
    public synchronized long purgedBytes() {
        return purgedBytes;
    }

    public synchronized long purgeFailures() {
        return purgeFailures;
    }

    /** End of the pages ever handed out (exclusive): every page below it is in use or in a free run. */
    public synchronized long frontierAddress() {
        return map.pageAddress(frontier);
    }

    /**
     * Walks the runs below the frontier in address order and checks that they tile it (caller guarantees
     * quiescence). Calls {@code visitor} with each free run; returns the number of pages in free runs.
     */
    public synchronized long forEachFreeRun(FreeRunVisitor visitor) {
        long free = 0;
        for (int p = 0; p < frontier; ) {
            int kind = kind(p);
            if (kind == IN_USE) {
                p += Math.max(1, run(p)); // a small page is a run of one; a large block's head holds its length
                continue;
            }
            int run = run(p);
            if (run <= 0 || p + run > frontier || kind(p + run - 1) != kind || run(p + run - 1) != run) {
                throw new IllegalStateException("page pool corrupt at page " + p);
            }
            visitor.visit(map.pageAddress(p), run, kind == CLEAN);
            free += run;
            p += run;
        }
        return free;
    }

    @FunctionalInterface
    public interface FreeRunVisitor {
        void visit(long address, int pages, boolean clean);
    }

    // ================================================================ records

    private int[] heads(int kind) {
        return kind == DIRTY ? dirtyHeads : cleanHeads;
    }

    private void count(int kind, long pages) {
        if (kind == DIRTY) dirtyPages += pages;
        else cleanPages += pages;
    }

    static int bin(int pages) {
        if (pages <= EXACT) return pages - 1;
        return EXACT - 6 + (31 - Integer.numberOfLeadingZeros(pages));
    }

    private long record(int p) {
        return records.entry(p);
    }

    private int getInt(int p, long field) {
        return NativeMemory.getIntPlain(record(p) + field);
    }

    private void setInt(int p, long field, int v) {
        NativeMemory.setIntPlain(record(p) + field, v);
    }

    private int run(int p) {
        return getInt(p, R_RUN);
    }

    private void setRun(int p, int pages) {
        setInt(p, R_RUN, pages);
    }

    private int kind(int p) {
        return getInt(p, R_KIND);
    }

    private void setKind(int p, int kind) {
        setInt(p, R_KIND, kind);
    }

    private long stamp(int p) {
        return NativeMemory.getLongPlain(record(p) + R_STAMP);
    }

    private void setStamp(int p, long stamp) {
        NativeMemory.setLongPlain(record(p) + R_STAMP, stamp);
    }

    /** Unmaps the records (allocator close). */
    public synchronized void close() {
        records.close();
    }
}
