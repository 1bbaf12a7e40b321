package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;

@Name(HakoEvents.LARGE_ALLOCATION)
@Label("Large Allocation")
@Description("A block above the largest size class (64 KiB): a run of arena pages, or a mapping of its own")
final class LargeAllocationEvent extends HakoEvent {
    static final LargeAllocationEvent INSTANCE = new LargeAllocationEvent();

    @Label("Address")
    @MemoryAddress
    long address;

    @Label("Size")
    @Description("Bytes asked for")
    @DataAmount
    long size;

    @Label("Bytes")
    @Description("Bytes the block holds (whole pages)")
    @DataAmount
    long bytes;

    @Label("Mapped")
    @Description("The block has a mapping of its own (above 32 MiB, or the arena was full)")
    boolean mapped;
}
