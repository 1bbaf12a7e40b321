package dev.hako.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The one class that reads and writes native memory by raw address.
 *
 * <p>All access goes through the "everything segment" (address 0, length {@code Long.MAX_VALUE}), so an
 * address is its own offset. Atomic and ordered access goes through a {@link VarHandle} built with
 * {@code withInvokeExactBehavior()}: a call with a wrong argument type fails loudly instead of taking a slow
 * adapted path. Method names carry the access mode as a suffix (see {@code package-info}).
 *
 * <p>Callers guarantee that addresses are inside memory they own and naturally aligned (8 for longs,
 * 4 for ints); this class does not check, because it sits on the hot path.
 */
public final class NativeMemory {
    private NativeMemory() {}

    /** Address 0 with infinite length: offset == address. Global scope, so no liveness check. */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final VarHandle LONG_VH = LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT_VH = INT.varHandle().withInvokeExactBehavior();

    // ---- plain ----

    public static long getLongPlain(long address) {
        return ALL.get(LONG, address);
    }

    public static void setLongPlain(long address, long value) {
        ALL.set(LONG, address, value);
    }

    public static int getIntPlain(long address) {
        return ALL.get(INT, address);
    }

    public static void setIntPlain(long address, int value) {
        ALL.set(INT, address, value);
    }

    // ---- ordered ----

    public static long getLongOpaque(long address) {
        return (long) LONG_VH.getOpaque(ALL, address);
    }

    public static long getLongAcquire(long address) {
        return (long) LONG_VH.getAcquire(ALL, address);
    }

    public static void setLongRelease(long address, long value) {
        LONG_VH.setRelease(ALL, address, value);
    }

    public static void setLongOpaque(long address, long value) {
        LONG_VH.setOpaque(ALL, address, value);
    }

    public static int getIntAcquire(long address) {
        return (int) INT_VH.getAcquire(ALL, address);
    }

    public static int getIntOpaque(long address) {
        return (int) INT_VH.getOpaque(ALL, address);
    }

    public static void setIntRelease(long address, int value) {
        INT_VH.setRelease(ALL, address, value);
    }

    // ---- atomic read-modify-write ----

    /** Compare-and-exchange with release semantics on success; returns the witness value. */
    public static long caxLongRelease(long address, long expected, long value) {
        return (long) LONG_VH.compareAndExchangeRelease(ALL, address, expected, value);
    }

    /** Compare-and-exchange, full (volatile) semantics; returns the witness value. */
    public static long caxLong(long address, long expected, long value) {
        return (long) LONG_VH.compareAndExchange(ALL, address, expected, value);
    }

    public static boolean casLong(long address, long expected, long value) {
        return (boolean) LONG_VH.compareAndSet(ALL, address, expected, value);
    }

    /** Atomic exchange with acquire semantics (takes a whole published list). */
    public static long xchgLongAcquire(long address, long value) {
        return (long) LONG_VH.getAndSetAcquire(ALL, address, value);
    }

    /** Atomic exchange, full (volatile) semantics. */
    public static long xchgLong(long address, long value) {
        return (long) LONG_VH.getAndSet(ALL, address, value);
    }

    public static long getAndAddLong(long address, long delta) {
        return (long) LONG_VH.getAndAdd(ALL, address, delta);
    }

    public static int caxInt(long address, int expected, int value) {
        return (int) INT_VH.compareAndExchange(ALL, address, expected, value);
    }

    public static int xchgIntAcquire(long address, int value) {
        return (int) INT_VH.getAndSetAcquire(ALL, address, value);
    }

    // ---- bulk ----

    public static void fill(long address, long bytes, byte value) {
        ALL.asSlice(address, bytes).fill(value);
    }

    public static void copy(long from, long to, long bytes) {
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }
}
