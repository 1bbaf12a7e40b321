package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;

@Name(HakoEvents.MEMORY_STATISTICS)
@Label("Memory Statistics")
@Description("The memory gauges of one allocator (HakoStats.Memory), one event per live allocator per period")
@Period("1 s")
final class MemoryStatisticsEvent extends HakoEvent {
    static final MemoryStatisticsEvent INSTANCE = new MemoryStatisticsEvent();

    @Label("Allocator")
    @Description("'global' for the process-wide allocator, else its number (as the MXBean's name)")
    String allocator;

    @Label("Live")
    @Description("Blocks handed out and not freed (small blocks in remote transit and large blocks included)")
    @DataAmount
    long liveBytes;

    @Label("Cached")
    @Description("Blocks in thread caches")
    @DataAmount
    long cachedBytes;

    @Label("Free in Pages")
    @Description("The rest of the owners' pages: free blocks and not yet carved parts")
    @DataAmount
    long freeInPagesBytes;

    @Label("Pooled")
    @Description("Free pages in the pool, still resident")
    @DataAmount
    long pooledBytes;

    @Label("Decommitted")
    @Description("Free pages in the pool returned to the kernel")
    @DataAmount
    long decommittedBytes;

    @Label("Committed")
    @Description("Arena address space made read-write")
    @DataAmount
    long committedBytes;

    @Label("Returned")
    @Description("Bytes returned to the kernel by purges since the start (cumulative)")
    @DataAmount
    long returnedBytes;

    @Label("Large")
    @Description("Live large blocks, in the arena or mapped")
    @DataAmount
    long largeBytes;

    @Label("Owners in Use")
    int ownersInUse;
}
