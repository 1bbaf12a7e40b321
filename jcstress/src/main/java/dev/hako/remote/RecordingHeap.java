package dev.hako.remote;

import dev.hako.stats.Counter;

/**
 * A producer or owner as a strategy sees it, for jcstress states: it records the blocks filed into it (in filing
 * order) and, for each, the payload word the test's producer wrote at {@code block + 8}, read when the block is
 * filed, as the owner's program would read it after its next malloc.
 */
final class RecordingHeap implements RemoteHeap {
    private final int id;
    private final long[] ownBlocks;
    final long[] filed;
    final int[] filedClasses;
    final long[] payloads;
    int count;
    private final boolean readPayloads;

    /**
     * @param ownBlocks    the only addresses {@link #owns} accepts (what a validated walk may read a link from)
     * @param readPayloads whether filing reads the block's payload word (blocks of the parcel tests are never
     *                     touched: that path must not read or write them)
     */
    RecordingHeap(int id, long[] ownBlocks, int capacity, boolean readPayloads) {
        this.id = id;
        this.ownBlocks = ownBlocks;
        this.filed = new long[capacity];
        this.filedClasses = new int[capacity];
        this.payloads = new long[capacity];
        this.readPayloads = readPayloads;
    }

    @Override
    public int ownerId() {
        return id;
    }

    @Override
    public void acceptFree(int sizeClass, long block) {
        if (count == filed.length) throw new IllegalStateException("more blocks filed than the test sent");
        filed[count] = block;
        filedClasses[count] = sizeClass;
        if (readPayloads) payloads[count] = dev.hako.memory.NativeMemory.getLongPlain(block + 8);
        count++;
    }

    @Override
    public int room(int sizeClass) {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean owns(int sizeClass, long block) {
        for (long b : ownBlocks) if (b == block) return true;
        return false;
    }

    @Override
    public void retract(int sizeClass, int n) {
        count -= n;
    }

    @Override
    public void count(Counter counter, long n) {
        // counters are off in jcstress forks (-Dhako.stats is not set): never called
    }
}
