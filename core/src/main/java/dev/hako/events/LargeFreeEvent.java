package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;

@Name(HakoEvents.LARGE_FREE)
@Label("Large Free")
@Description("A large block freed: its pages go back to the page pool, or its mapping is unmapped")
final class LargeFreeEvent extends HakoEvent {
    static final LargeFreeEvent INSTANCE = new LargeFreeEvent();

    @Label("Address")
    @MemoryAddress
    long address;

    @Label("Bytes")
    @DataAmount
    long bytes;

    @Label("Mapped")
    @Description("The block had a mapping of its own")
    boolean mapped;
}
