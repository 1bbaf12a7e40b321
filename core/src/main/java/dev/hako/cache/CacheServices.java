package dev.hako.cache;

import dev.hako.check.BlockLedger;
import dev.hako.large.LargeBlocks;
import dev.hako.layout.PageMap;
import dev.hako.remote.RemoteFree;

/**
 * The allocator-wide services a heap calls on its slow paths.
 *
 * @param ledger checked mode's block ledger, {@code null} when checked mode is off
 */
public record CacheServices(PageMap pages, RemoteFree remote, LargeBlocks large, OwnerPages ownerPages,
                            BlockLedger ledger, HeapLifecycle lifecycle) {}
