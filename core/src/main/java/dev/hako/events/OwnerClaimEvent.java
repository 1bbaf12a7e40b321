package dev.hako.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(HakoEvents.OWNER_CLAIM)
@Label("Owner Claim")
@Description("A platform thread claimed an owner id and got an exclusive heap on its store (the event's thread);"
        + " an id held before comes with what its last holder left there, which the new holder adopts")
final class OwnerClaimEvent extends HakoEvent {
    static final OwnerClaimEvent INSTANCE = new OwnerClaimEvent();

    @Label("Owner")
    int owner;

    @Label("Adopted")
    @Description("The id was held before: its store, pages and waiting remote frees pass to the new holder")
    boolean adopted;

    @Label("Adopted Pages")
    @Description("Pages of small blocks the store held when it was claimed")
    long adoptedPages;
}
