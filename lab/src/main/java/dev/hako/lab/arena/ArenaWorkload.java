package dev.hako.lab.arena;

import dev.hako.HakoArena;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * The arena workload: open an arena, allocate {@code count} structs (8-byte aligned, sizes from a table drawn up
 * front), write the first word of each and keep it in an array (as a program keeps its structs, so every segment
 * is a real object), close the arena. One call of {@link #round()} is one arena's life. The array is new in each
 * round: a long-lived one would sit in the old generation and make every store of a new segment pay G1's
 * old-to-young barrier, a cost of the harness rather than of the arena.
 */
public final class ArenaWorkload {
    /** Struct alignment: the common case for C structs holding longs or pointers. */
    static final long ALIGNMENT = 8;

    private final ArenaKind kind;
    private final long[] sizes;

    /**
     * @param sizeSpec one size in bytes ({@code "64"}) or a range {@code "16-256"} (multiples of 8, uniform,
     *                 drawn from a fixed seed); every size at least 8
     */
    public ArenaWorkload(ArenaKind kind, String sizeSpec, int count) {
        if (count <= 0) throw new IllegalArgumentException("count must be positive, was " + count);
        this.kind = kind;
        this.sizes = sizes(sizeSpec, count);
    }

    static long[] sizes(String spec, int count) {
        long min;
        long max;
        try {
            int dash = spec.indexOf('-');
            min = Long.parseLong(dash < 0 ? spec : spec.substring(0, dash));
            max = dash < 0 ? min : Long.parseLong(spec.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + spec + "' is not N or MIN-MAX");
        }
        if (min < 8 || max < min) throw new IllegalArgumentException("size '" + spec + "': need 8 <= MIN <= MAX");
        long[] out = new long[count];
        Random random = new Random(42);
        long steps = (max - min) / 8 + 1;
        for (int i = 0; i < count; i++) out[i] = min + 8 * (long) random.nextInt((int) Math.min(steps, 1 << 30));
        return out;
    }

    public int count() {
        return sizes.length;
    }

    /** One arena: open, allocate and touch every struct, close. Returns a checksum so nothing is optimised out. */
    public long round() {
        Arena arena = kind.open();
        long sum = 0;
        long[] sizes = this.sizes;
        MemorySegment[] held = new MemorySegment[sizes.length];
        if (kind.uninitialized) {
            HakoArena hako = (HakoArena) arena;
            for (int i = 0; i < sizes.length; i++) sum += keep(held, i, hako.allocateUninitialized(sizes[i], ALIGNMENT));
        } else {
            for (int i = 0; i < sizes.length; i++) sum += keep(held, i, arena.allocate(sizes[i], ALIGNMENT));
        }
        if (kind.closeable) arena.close();
        return sum + held.length;
    }

    private static long keep(MemorySegment[] held, int i, MemorySegment s) {
        s.set(ValueLayout.JAVA_LONG, 0, i);
        held[i] = s;
        return s.address();
    }
}
