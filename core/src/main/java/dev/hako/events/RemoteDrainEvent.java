package dev.hako.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(HakoEvents.REMOTE_DRAIN)
@Label("Remote Drain")
@Description("Blocks other threads freed to an owner, taken from the remote-free strategy: by the owner's refill"
        + " (into its cache), or by the housekeeper or a trim for a quiet owner (into its pages)")
final class RemoteDrainEvent extends HakoEvent {
    static final RemoteDrainEvent INSTANCE = new RemoteDrainEvent();

    @Label("Owner")
    int owner;

    @Label("Blocks")
    long blocks;

    @Label("Into Pages")
    @Description("Filed into the owner's pages by the housekeeper or a trim, not into its cache")
    boolean intoPages;
}
