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
 */
public record RemoteContext(int maxOwners, PageMap pages, IntSupplier ownersHighWater) {}
