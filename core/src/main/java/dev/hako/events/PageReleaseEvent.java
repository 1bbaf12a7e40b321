package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;

@Name(HakoEvents.PAGE_RELEASE)
@Label("Page Release")
@Description("An owner gave a wholly free page back to the page pool (cache GC, a quiet owner, trim or a detach)")
final class PageReleaseEvent extends HakoEvent {
    static final PageReleaseEvent INSTANCE = new PageReleaseEvent();

    @Label("Address")
    @MemoryAddress
    long address;

    @Label("Owner")
    @Description("The owner id that held the page")
    int owner;

    @Label("Block Size")
    @DataAmount
    int blockSize;
}
