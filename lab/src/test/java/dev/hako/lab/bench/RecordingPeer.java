package dev.hako.lab.bench;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test allocator that records every call per handle. Addresses encode the allocating thread:
 * {@code ((thread + 2) << 40) + 16 * n}, so a free says whose block it was.
 */
final class RecordingPeer implements AddressPeer {
    record Event(boolean malloc, long address, long size) {}

    /** Events by worker index ({@link #CLEANUP} for the harness's clean-up handles), in call order. */
    final Map<Integer, List<Event>> events = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> live = new ConcurrentHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    static int owner(long address) {
        return (int) (address >>> 40) - 2;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String describe() {
        return "recording test allocator";
    }

    @Override
    public AddressHandle open(int thread) {
        List<Event> log = events.computeIfAbsent(thread, t -> Collections.synchronizedList(new ArrayList<>()));
        return new AddressHandle() {
            private long next = (thread + 2L) << 40;

            @Override
            public long malloc(long size) {
                long p = next;
                next += 16;
                log.add(new Event(true, p, size));
                live.put(p, Boolean.TRUE);
                return p;
            }

            @Override
            public void free(long address) {
                log.add(new Event(false, address, 0));
                if (live.remove(address) == null) problems.add("free of a block not live: " + Long.toHexString(address));
            }
        };
    }

    int liveBlocks() {
        return live.size();
    }

    List<Event> of(int thread) {
        return events.getOrDefault(thread, List.of());
    }
}
