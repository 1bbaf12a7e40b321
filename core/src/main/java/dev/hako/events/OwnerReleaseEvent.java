package dev.hako.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(HakoEvents.OWNER_RELEASE)
@Label("Owner Release")
@Description("A heap left its owner id: closed by its thread, or reaped after its thread died; the store stays"
        + " parked with the id for the next holder")
final class OwnerReleaseEvent extends HakoEvent {
    static final OwnerReleaseEvent INSTANCE = new OwnerReleaseEvent();

    @Label("Owner")
    int owner;

    @Label("Holder")
    @Description("The thread that held the id")
    Thread holder;

    @Label("Reaped")
    @Description("The holder had died (a reap), rather than closing its heap")
    boolean reaped;

    @Label("Kept Pages")
    @Description("Pages the parked store keeps (blocks still live, cached or in transit)")
    long keptPages;
}
