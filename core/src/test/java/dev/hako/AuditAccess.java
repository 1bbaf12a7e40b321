package dev.hako;

import dev.hako.cache.CacheStore;
import dev.hako.layout.PageBlocks;
import dev.hako.layout.PageMap;
import dev.hako.layout.PagePool;
import dev.hako.remote.RemoteFree;

import java.util.List;

/** The allocator's own audit for tests that assemble the rooms by hand (the auditor is package-private). */
public final class AuditAccess {
    private AuditAccess() {}

    public static AuditReport audit(PageMap pages, PagePool pool, PageBlocks blocks, List<CacheStore> stores,
                                    RemoteFree remote) {
        return Auditor.audit(pages, pool, blocks, stores, remote);
    }
}
