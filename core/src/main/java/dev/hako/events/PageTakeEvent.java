package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;

@Name(HakoEvents.PAGE_TAKE)
@Label("Page Take")
@Description("An owner took a 64 KiB page from the page pool to carve blocks of one size class from")
final class PageTakeEvent extends HakoEvent {
    static final PageTakeEvent INSTANCE = new PageTakeEvent();

    @Label("Address")
    @MemoryAddress
    long address;

    @Label("Owner")
    @Description("The owner id that took the page")
    int owner;

    @Label("Block Size")
    @DataAmount
    int blockSize;
}
