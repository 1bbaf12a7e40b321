package dev.hako.events;

import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

import java.util.List;

/**
 * Hako's JFR events, one static method per event so that each call site is one line.
 *
 * <p><b>Cost when nobody records.</b> Loading a JFR event class makes JFR set up its metadata (CPU time and memory
 * at start-up), so no event class is touched until the JVM's flight recorder has been initialized (a recording was
 * started, on the command line or by API, or JMC connected): until then every method here is one read of a
 * volatile {@code boolean}. After that it is that read and the event's {@code isEnabled()}, through a static
 * instance per event class; an event object is created only when the event is enabled. Nothing here is called on
 * a malloc or free fast path, only on slow paths (page level, large blocks, drains, owners, trim, purge).
 *
 * <p>Every event is off by default ({@code @Enabled(false)}, as Netty 4.2's); enable them with
 * {@code -XX:StartFlightRecording:+dev.hako.PageTake#enabled=true,...} or a {@code .jfc} file (docs/ARCHITECTURE.md,
 * "Events and metrics"). Without the {@code jdk.jfr} module, or on a JVM without JFR, the methods do nothing.
 */
public final class HakoEvents {
    /** Event names, stable: {@code dev.hako.<Event>}. */
    public static final String PAGE_TAKE = "dev.hako.PageTake";
    public static final String PAGE_RELEASE = "dev.hako.PageRelease";
    public static final String PURGE = "dev.hako.Purge";
    public static final String TRIM = "dev.hako.Trim";
    public static final String LARGE_ALLOCATION = "dev.hako.LargeAllocation";
    public static final String LARGE_FREE = "dev.hako.LargeFree";
    public static final String REMOTE_DRAIN = "dev.hako.RemoteDrain";
    public static final String OWNER_CLAIM = "dev.hako.OwnerClaim";
    public static final String OWNER_RELEASE = "dev.hako.OwnerRelease";
    public static final String MEMORY_STATISTICS = "dev.hako.MemoryStatistics";
    /** Every event's name. */
    public static final List<String> NAMES = List.of(PAGE_TAKE, PAGE_RELEASE, PURGE, TRIM, LARGE_ALLOCATION, LARGE_FREE,
            REMOTE_DRAIN, OWNER_CLAIM, OWNER_RELEASE, MEMORY_STATISTICS);

    /** Set once the flight recorder is initialized and the event classes are registered. */
    private static volatile boolean active;
    /** Emits one {@link #memoryStatistics} per live allocator (installed by the allocators' registry). */
    private static volatile Runnable gauges = () -> { };

    static {
        try {
            // Cheap (no JFR metadata): the callback comes when the recorder is initialized, at once if it is already.
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    activate();
                }
            });
        } catch (Throwable noJfr) { // no jdk.jfr module, or JFR unsupported: Hako runs without events
        }
    }

    private HakoEvents() {}

    private static synchronized void activate() {
        if (active) return;
        try {
            // Loading the classes here, once, keeps class loading (and JFR's instrumentation of it) off Hako's paths.
            for (Class<? extends Event> c : List.of(PageTakeEvent.class, PageReleaseEvent.class, PurgeEvent.class,
                    TrimEvent.class, LargeAllocationEvent.class, LargeFreeEvent.class, RemoteDrainEvent.class,
                    OwnerClaimEvent.class, OwnerReleaseEvent.class, MemoryStatisticsEvent.class)) {
                FlightRecorder.register(c);
            }
            FlightRecorder.addPeriodicEvent(MemoryStatisticsEvent.class, HakoEvents::emitGauges);
            active = true;
        } catch (Throwable e) { // events must never break the allocator
            System.err.println("hako: JFR events unavailable: " + e);
        }
    }

    /**
     * Installs what the periodic {@value #MEMORY_STATISTICS} event runs: a hook that calls {@link #memoryStatistics}
     * once per live allocator. Costs nothing until a recording enables the event.
     */
    public static void onMemoryStatistics(Runnable hook) {
        gauges = hook;
    }

    private static void emitGauges() {
        gauges.run();
    }

    // ================================================================ pages

    /** An owner took a page from the pool for blocks of {@code blockSize} bytes. */
    public static void pageTaken(long address, int owner, int blockSize) {
        if (active && PageTakeEvent.INSTANCE.isEnabled()) commitPageTake(address, owner, blockSize);
    }

    private static void commitPageTake(long address, int owner, int blockSize) {
        PageTakeEvent e = new PageTakeEvent();
        e.address = address;
        e.owner = owner;
        e.blockSize = blockSize;
        e.commit();
    }

    /** An owner gave a wholly free page back to the pool. */
    public static void pageReleased(long address, int owner, int blockSize) {
        if (active && PageReleaseEvent.INSTANCE.isEnabled()) commitPageRelease(address, owner, blockSize);
    }

    private static void commitPageRelease(long address, int owner, int blockSize) {
        PageReleaseEvent e = new PageReleaseEvent();
        e.address = address;
        e.owner = owner;
        e.blockSize = blockSize;
        e.commit();
    }

    // ================================================================ purge and trim

    /**
     * Starts timing a purge; returns what {@link #purgeEnd} takes ({@code null}, and nothing allocated, unless the
     * event is enabled).
     */
    public static Object purgeBegin() {
        if (!active || !PurgeEvent.INSTANCE.isEnabled()) return null;
        PurgeEvent e = new PurgeEvent();
        e.begin();
        return e;
    }

    /**
     * Ends a purge started by {@link #purgeBegin}; commits only if it found runs to purge.
     *
     * @param begun      what {@link #purgeBegin} returned
     * @param bytes      bytes returned to the kernel
     * @param runs       runs returned to the kernel
     * @param failedRuns runs the kernel refused
     * @param all        every free run, whatever its age (a trim)
     */
    public static void purgeEnd(Object begun, long bytes, int runs, int failedRuns, boolean all) {
        if (begun == null || runs + failedRuns == 0) return;
        PurgeEvent e = (PurgeEvent) begun;
        e.end();
        if (!e.shouldCommit()) return;
        e.bytes = bytes;
        e.runs = runs;
        e.failedRuns = failedRuns;
        e.all = all;
        e.commit();
    }

    /** Starts timing a trim; returns what {@link #trimEnd} takes ({@code null} unless the event is enabled). */
    public static Object trimBegin() {
        if (!active || !TrimEvent.INSTANCE.isEnabled()) return null;
        TrimEvent e = new TrimEvent();
        e.begin();
        return e;
    }

    /** Ends a trim started by {@link #trimBegin}: {@code returnedBytes} went back to the kernel. */
    public static void trimEnd(Object begun, long returnedBytes) {
        if (begun == null) return;
        TrimEvent e = (TrimEvent) begun;
        e.end();
        if (!e.shouldCommit()) return;
        e.returnedBytes = returnedBytes;
        e.commit();
    }

    // ================================================================ large blocks

    /** A large block of {@code bytes} bytes for a request of {@code size}, in the arena or {@code mapped}. */
    public static void largeAllocated(long address, long size, long bytes, boolean mapped) {
        if (active && LargeAllocationEvent.INSTANCE.isEnabled()) commitLargeAllocation(address, size, bytes, mapped);
    }

    private static void commitLargeAllocation(long address, long size, long bytes, boolean mapped) {
        LargeAllocationEvent e = new LargeAllocationEvent();
        e.address = address;
        e.size = size;
        e.bytes = bytes;
        e.mapped = mapped;
        e.commit();
    }

    /** A large block of {@code bytes} bytes freed. */
    public static void largeFreed(long address, long bytes, boolean mapped) {
        if (active && LargeFreeEvent.INSTANCE.isEnabled()) commitLargeFree(address, bytes, mapped);
    }

    private static void commitLargeFree(long address, long bytes, boolean mapped) {
        LargeFreeEvent e = new LargeFreeEvent();
        e.address = address;
        e.bytes = bytes;
        e.mapped = mapped;
        e.commit();
    }

    // ================================================================ remote frees

    /**
     * {@code blocks} remote frees taken for {@code owner}: by its refill ({@code intoPages} false), or into its pages
     * by the housekeeper or a trim. Nothing is recorded for an empty drain.
     */
    public static void remoteDrained(int owner, long blocks, boolean intoPages) {
        if (blocks != 0 && active && RemoteDrainEvent.INSTANCE.isEnabled()) commitRemoteDrain(owner, blocks, intoPages);
    }

    private static void commitRemoteDrain(int owner, long blocks, boolean intoPages) {
        RemoteDrainEvent e = new RemoteDrainEvent();
        e.owner = owner;
        e.blocks = blocks;
        e.intoPages = intoPages;
        e.commit();
    }

    // ================================================================ owners

    /** The calling thread claimed {@code owner}, whose store held {@code pages} pages (adopted when non-zero). */
    public static void ownerClaimed(int owner, long pages) {
        if (active && OwnerClaimEvent.INSTANCE.isEnabled()) commitOwnerClaim(owner, pages);
    }

    private static void commitOwnerClaim(int owner, long pages) {
        OwnerClaimEvent e = new OwnerClaimEvent();
        e.owner = owner;
        e.adopted = pages > 0;
        e.adoptedPages = pages;
        e.commit();
    }

    /** {@code holder}'s heap left {@code owner} (reaped if the thread is dead); the store keeps {@code pages}. */
    public static void ownerReleased(int owner, Thread holder, long pages) {
        if (active && OwnerReleaseEvent.INSTANCE.isEnabled()) commitOwnerRelease(owner, holder, pages);
    }

    private static void commitOwnerRelease(int owner, Thread holder, long pages) {
        OwnerReleaseEvent e = new OwnerReleaseEvent();
        e.owner = owner;
        e.holder = holder;
        e.reaped = holder != null && !holder.isAlive();
        e.keptPages = pages;
        e.commit();
    }

    // ================================================================ gauges

    /** Whether a {@value #MEMORY_STATISTICS} event would be recorded now (the hook skips the gauges otherwise). */
    public static boolean memoryStatisticsEnabled() {
        return active && MemoryStatisticsEvent.INSTANCE.isEnabled();
    }

    /** One allocator's memory gauges ({@code HakoStats.Memory}), from the periodic hook. */
    public static void memoryStatistics(String allocator, long liveBytes, long cachedBytes, long freeInPagesBytes,
                                        long pooledBytes, long decommittedBytes, long committedBytes,
                                        long returnedBytes, long largeBytes, int ownersInUse) {
        if (!memoryStatisticsEnabled()) return;
        MemoryStatisticsEvent e = new MemoryStatisticsEvent();
        e.allocator = allocator;
        e.liveBytes = liveBytes;
        e.cachedBytes = cachedBytes;
        e.freeInPagesBytes = freeInPagesBytes;
        e.pooledBytes = pooledBytes;
        e.decommittedBytes = decommittedBytes;
        e.committedBytes = committedBytes;
        e.returnedBytes = returnedBytes;
        e.largeBytes = largeBytes;
        e.ownersInUse = ownersInUse;
        e.commit();
    }
}
