package dev.hako.lab.suite.workload;

/**
 * cache-thrash (active false sharing): threads allocate, write and free tiny objects; an allocator that serves
 * concurrent threads from the same cache line makes them fight over it.
 */
public final class CacheThrash extends CacheLines {
    public static final String NAME = "cache-thrash";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "active false sharing: threads allocate, write and free 1-byte objects (Hoard cache-thrash)";
    }

    @Override
    boolean handsOutFirstObjects() {
        return false;
    }
}
