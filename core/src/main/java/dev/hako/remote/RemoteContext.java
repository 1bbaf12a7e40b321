package dev.hako.remote;

import dev.hako.layout.PageMap;

import java.util.function.IntSupplier;

/**
 * What a strategy may know about the allocator it serves.
 *
 * @param maxOwners       owner ids run from 1 to this
 * @param pages           the page map (size class and owner of any arena address)
 * @param ownersHighWater the highest owner id handed out so far (producers and owners are both heaps, and a
 *                        heap's producer index is its owner id)
 * @param parcelOpen      strategy parcel: open parcels per producer at most
 * @param parcelBudget    strategy parcel: bytes of blocks a producer's open parcels may hold
 * @param parcelMissFlush strategy parcel: a refill miss also ships open parcels holding this many (0: never)
 */
public record RemoteContext(int maxOwners, PageMap pages, IntSupplier ownersHighWater, int parcelOpen,
                            long parcelBudget, int parcelMissFlush) {
    /** The defaults of the parcel settings (tests that build strategies by hand). */
    public RemoteContext(int maxOwners, PageMap pages, IntSupplier ownersHighWater) {
        this(maxOwners, pages, ownersHighWater, 256, 1L << 20, 0);
    }
}
