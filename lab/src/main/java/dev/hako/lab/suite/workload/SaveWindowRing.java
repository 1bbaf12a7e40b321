package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;

/**
 * The pointer buffer MicroQuill's sh6bench and sh8bench cycle through. Blocks are allocated into consecutive slots;
 * when the buffer is full, a window of one fifth of it (the next fifth after the previous window) is kept for the
 * next cycle, the slots before the window are freed in allocation order and the slots after it in reverse order;
 * the next cycle allocates around the kept window. So most blocks die young, in FIFO or LIFO order, and a fifth
 * live one cycle longer. Each block carries a tag at both ends, checked before it is freed.
 */
final class SaveWindowRing {
    private final String workload;
    private final long[] addr;
    private final int[] size;
    private final long[] tag;
    private int next;
    private int saveStart;
    private int saveEnd;
    long ops;
    long checked;

    SaveWindowRing(String workload, int slots) {
        if (slots < 5) throw new IllegalArgumentException("a ring needs at least 5 slots, got " + slots);
        this.workload = workload;
        this.addr = new long[slots];
        this.size = new int[slots];
        this.tag = new long[slots];
        this.saveStart = slots;
        this.saveEnd = slots;
    }

    void allocate(AddressHandle h, int bytes, long blockTag) {
        if (next == saveStart) next = saveEnd;
        if (next >= addr.length) {
            wrap(h);
            if (next == saveStart) next = saveEnd;
        }
        long p = Mem.malloc(h, bytes);
        Mem.tag(p, bytes, blockTag);
        addr[next] = p;
        size[next] = bytes;
        tag[next] = blockTag;
        next++;
        ops++;
    }

    private void wrap(AddressHandle h) {
        int n = addr.length;
        saveStart = saveEnd >= n ? 0 : saveEnd;
        saveEnd = Math.min(n, saveStart + n / 5);
        for (int i = 0; i < saveStart; i++) free(h, i);
        for (int i = n - 1; i >= saveEnd; i--) free(h, i);
        next = 0;
    }

    /** Frees every block still in the ring. */
    void freeAll(AddressHandle h) {
        for (int i = 0; i < addr.length; i++) if (addr[i] != 0) free(h, i);
    }

    private void free(AddressHandle h, int i) {
        long p = addr[i];
        if (p == 0) throw new IllegalStateException(workload + ": ring slot " + i + " is empty at a wrap");
        Mem.checkTag(workload, p, size[i], tag[i]);
        h.free(p);
        addr[i] = 0;
        ops++;
        checked++;
    }
}
