package dev.hako.lab.arena;

import dev.hako.HakoArena;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The arenas the arena workload compares, by the names the lab's commands and the JMH benchmark take. A JVM
 * should run one kind only, so that the workload's {@code Arena} calls stay monomorphic.
 */
public enum ArenaKind {
    /** {@link HakoArena#ofConfined()}: zeroed segments. */
    HAKO_CONFINED("hako-confined", HakoArena::ofConfined, true, false),
    /** {@link HakoArena#ofConfined()} through {@link HakoArena#allocateUninitialized}: no zeroing. */
    HAKO_CONFINED_UNINIT("hako-confined-uninit", HakoArena::ofConfined, true, true),
    /** {@link HakoArena#ofShared()}: zeroed segments, the JDK's shared close. */
    HAKO_SHARED("hako-shared", HakoArena::ofShared, true, false),
    /** The JDK's {@link Arena#ofConfined()}: malloc, zeroing and a cleanup per segment. */
    JDK_CONFINED("jdk-confined", Arena::ofConfined, true, false),
    /** The JDK's {@link Arena#ofShared()}. */
    JDK_SHARED("jdk-shared", Arena::ofShared, true, false),
    /** The JDK's {@link Arena#ofAuto()}: never closed; the GC's cleaner frees it (off the measured thread). */
    JDK_AUTO("jdk-auto", Arena::ofAuto, false, false),
    /** {@link FloorArena}: scope-bound slices of one block, no memory management; the workload's floor. */
    FLOOR("floor", FloorArena::new, true, false);

    public final String label;
    private final Supplier<Arena> factory;
    /** Whether the workload closes the arena (an automatic arena cannot be closed). */
    public final boolean closeable;
    /** Whether the workload allocates through {@link HakoArena#allocateUninitialized}. */
    public final boolean uninitialized;

    ArenaKind(String label, Supplier<Arena> factory, boolean closeable, boolean uninitialized) {
        this.label = label;
        this.factory = factory;
        this.closeable = closeable;
        this.uninitialized = uninitialized;
    }

    public Arena open() {
        return factory.get();
    }

    /** The kind of a label, or {@link IllegalArgumentException} naming the known labels. */
    public static ArenaKind of(String label) {
        for (ArenaKind k : values()) if (k.label.equals(label)) return k;
        throw new IllegalArgumentException("unknown arena '" + label + "'; known: " + labels());
    }

    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(k -> k.label).toList());
    }

    @Override
    public String toString() {
        return label;
    }
}
