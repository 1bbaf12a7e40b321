package dev.hako;

/** The {@link HakoAllocatorMXBean} of one allocator, registered and unregistered by {@link AllocatorMonitor}. */
final class AllocatorBean implements HakoAllocatorMXBean {
    private final AllocatorMonitor monitor;

    AllocatorBean(AllocatorMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public String getName() {
        return monitor.name();
    }

    @Override
    public String getConfiguration() {
        return monitor.allocator().describe();
    }

    private HakoStats.Memory memory() {
        return monitor.allocator().stats().memory();
    }

    @Override
    public long getLiveBytes() {
        return memory().liveBytes();
    }

    @Override
    public long getCachedBytes() {
        return memory().cachedBytes();
    }

    @Override
    public long getFreeInPagesBytes() {
        return memory().freeInPagesBytes();
    }

    @Override
    public long getPooledBytes() {
        return memory().pooledBytes();
    }

    @Override
    public long getDecommittedBytes() {
        return memory().decommittedBytes();
    }

    @Override
    public long getCommittedBytes() {
        return memory().committedBytes();
    }

    @Override
    public long getReturnedBytes() {
        return memory().returnedBytes();
    }

    @Override
    public long getLargeBytes() {
        HakoStats.Memory m = memory();
        return m.largeArenaBytes() + m.largeMappedBytes();
    }

    @Override
    public int getOwnersInUse() {
        return monitor.allocator().stats().ownersInUse();
    }

    @Override
    public long trim() {
        return monitor.allocator().trimWithoutCaller();
    }
}
