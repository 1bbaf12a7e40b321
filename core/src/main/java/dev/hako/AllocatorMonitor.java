package dev.hako;

import dev.hako.events.HakoEvents;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How one allocator is watched from outside: its {@link HakoAllocatorMXBean} on the platform MBean server, and its
 * gauges in the periodic {@value HakoEvents#MEMORY_STATISTICS} JFR event.
 *
 * <p>Registered when the allocator is created, unregistered when it is closed. Nothing here holds the allocator
 * strongly: the MBean server holds the bean, the bean this monitor, and this monitor only a weak reference, so a
 * forgotten bean never keeps an allocator (64 GiB of reserved address space) alive; the bean of an allocator that
 * was dropped without {@code close()} is unregistered when the next allocator is created. Failures here (no
 * {@code java.management} module, a name taken by another class loader's Hako) cost the bean, never the allocator.
 */
final class AllocatorMonitor {
    /**
     * {@code -Dhako.jmx=true}: register the MBean (process-wide, read once). Off by default: the first MBean creates
     * the platform MBean server, about 0.2 s of CPU and 5 MB of RSS that a program not watched through JMX should
     * not pay.
     */
    static final String JMX_PROPERTY = "hako.jmx";
    static final boolean JMX = "true".equalsIgnoreCase(System.getProperty(JMX_PROPERTY, "false").trim());
    static final String PROCESS_WIDE = "global";

    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final Set<AllocatorMonitor> LIVE = ConcurrentHashMap.newKeySet();
    private static final ReferenceQueue<HakoAllocator> DROPPED = new ReferenceQueue<>();

    static {
        HakoEvents.onMemoryStatistics(AllocatorMonitor::recordGauges);
    }

    private final String name;
    private final Ref ref;
    private volatile ObjectName objectName;
    private volatile boolean closed;

    /** A weak reference that knows its monitor, so that a dropped allocator's bean can be found and unregistered. */
    private static final class Ref extends WeakReference<HakoAllocator> {
        final AllocatorMonitor monitor;

        Ref(HakoAllocator allocator, AllocatorMonitor monitor) {
            super(allocator, DROPPED);
            this.monitor = monitor;
        }
    }

    private AllocatorMonitor(HakoAllocator allocator, String name) {
        this.name = name;
        this.ref = new Ref(allocator, this);
    }

    /** Watches a new allocator: the process-wide one is {@code global}, the others are numbered 1, 2, ... */
    static AllocatorMonitor register(HakoAllocator allocator, boolean processWide) {
        for (Reference<?> r; (r = DROPPED.poll()) != null; ) ((Ref) r).monitor.close();
        AllocatorMonitor m = new AllocatorMonitor(allocator,
                processWide ? PROCESS_WIDE : Integer.toString(NUMBERS.incrementAndGet()));
        LIVE.add(m);
        if (JMX) m.registerBean();
        return m;
    }

    private void registerBean() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            AllocatorBean bean = new AllocatorBean(this);
            ObjectName on = objectName(name);
            try {
                server.registerMBean(bean, on);
            } catch (InstanceAlreadyExistsException taken) { // another class loader's Hako: a number of its own
                on = objectName(PROCESS_WIDE.equals(name) ? "global-" + NUMBERS.incrementAndGet() : name + "-"
                        + System.identityHashCode(this));
                server.registerMBean(bean, on);
            }
            objectName = on;
        } catch (Throwable e) { // no java.management, a security manager, a broken MBean server: no bean, no failure
            System.err.println("hako: allocator " + name + " has no JMX bean: " + e);
        }
    }

    static ObjectName objectName(String name) throws javax.management.MalformedObjectNameException {
        return new ObjectName(PROCESS_WIDE.equals(name) ? HakoAllocatorMXBean.OBJECT_NAME
                : HakoAllocatorMXBean.OBJECT_NAME + ",name=" + name);
    }

    /** Stops watching (allocator close; also a dropped allocator's cleanup). Never throws; a second call does nothing. */
    void close() {
        if (closed) return;
        closed = true;
        LIVE.remove(this);
        ObjectName on = objectName;
        objectName = null;
        if (on == null) return;
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(on);
        } catch (Throwable e) { // already gone (someone unregistered it), or the server refuses: nothing to undo
        }
    }

    String name() {
        return name;
    }

    /** The bean's object name, or {@code null} if it has none (JMX off or unavailable, or closed). */
    ObjectName objectName() {
        return objectName;
    }

    /** The allocator, if it is still open. */
    HakoAllocator allocator() {
        HakoAllocator a = ref.get();
        if (closed || a == null) throw new IllegalStateException("Hako allocator '" + name + "' is closed");
        return a;
    }

    /** The monitor of {@code allocator}, or {@code null} once it is closed (tests). */
    static AllocatorMonitor of(HakoAllocator allocator) {
        for (AllocatorMonitor m : LIVE) if (m.ref.get() == allocator) return m;
        return null;
    }

    /** The periodic JFR hook: one {@value HakoEvents#MEMORY_STATISTICS} event per live allocator. */
    private static void recordGauges() {
        if (!HakoEvents.memoryStatisticsEnabled()) return;
        for (AllocatorMonitor m : LIVE) {
            HakoAllocator a = m.ref.get();
            if (a == null || m.closed) continue;
            HakoStats stats;
            try {
                stats = a.stats();
            } catch (IllegalStateException closing) {
                continue;
            }
            HakoStats.Memory g = stats.memory();
            HakoEvents.memoryStatistics(m.name, g.liveBytes(), g.cachedBytes(), g.freeInPagesBytes(), g.pooledBytes(),
                    g.decommittedBytes(), g.committedBytes(), g.returnedBytes(),
                    g.largeArenaBytes() + g.largeMappedBytes(), stats.ownersInUse());
        }
    }
}
