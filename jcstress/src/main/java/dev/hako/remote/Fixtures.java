package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the remote room's jcstress tests share within one forked JVM (jcstress runs one test class per fork).
 *
 * <p>Native memory: each state object gets its few words from its own {@link Arena#ofAuto()} segment, so the
 * memory lives exactly as long as the state (jcstress makes a new state per sample and drops it; the GC frees what
 * the dropped ones held, and the JDK counts it against the direct-memory limit, which forces a collection before
 * it grows). Nothing else is allocated per state.
 */
final class Fixtures {
    private Fixtures() {}

    /** Producer and owner ids as the heaps in the tests call themselves. */
    static final int PRODUCER = 1;
    static final int OWNER = 2;

    /**
     * A small committed arena: its page map bounds the walks of block lists ({@link PageMap#blockBound}), and the
     * parcel tests take their (never touched) block addresses from it. Committed is not resident: untouched pages
     * cost nothing.
     */
    static final AddressSpace ARENA = new AddressSpace(64L << 20, SizeClasses.PAGE, SizeClasses.PAGE);
    static final PageMap PAGES;

    static {
        ARENA.commitThrough(ARENA.base() + ARENA.size());
        PAGES = new PageMap(ARENA);
    }

    /** A producer heap: strategies ask it only for its id (counters are off in the forks). */
    static final RecordingHeap PRODUCER_HEAP = new RecordingHeap(PRODUCER, new long[0], 0, false);

    /** {@code bytes} of zeroed native memory aligned to {@code alignment}, freed once the state is garbage. */
    static MemorySegment perState(long bytes, long alignment) {
        return Arena.ofAuto().allocate(bytes, alignment);
    }
}
