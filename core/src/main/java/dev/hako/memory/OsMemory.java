package dev.hako.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The operating system's virtual-memory calls ({@code mmap}, {@code munmap}, {@code mprotect},
 * {@code madvise}), made through the FFM {@link Linker}. Linux x86-64 / aarch64 constants.
 *
 * <p>None of these is on an allocation fast path: they run when a segment is committed, when a large block
 * is mapped or unmapped, when free pages decay, and at start-up.
 *
 * <p>Tests make chosen calls fail through {@link #injectFaults} (glibc's {@code tst-malloc-thread-fail} idea): every
 * call asks the injector first, and a refused call fails as the kernel's would ({@code ENOMEM}), without running.
 */
public final class OsMemory {
    private OsMemory() {}

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MADV_DONTNEED = 4;
    static final int MADV_FREE = 8;
    static final long MAP_FAILED = -1L;

    /** The OS page size Hako assumes (Linux default); checked at start-up. */
    public static final long OS_PAGE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MPROTECT = downcall("mprotect", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MADVISE = downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    /** The system calls a fault injector can refuse. */
    public enum Call { MMAP, MUNMAP, MPROTECT, MADVISE }

    /** Decides, call by call, whether a system call fails (tests only). */
    @FunctionalInterface
    public interface FaultInjector {
        /** Whether this call should fail instead of running. */
        boolean fail(Call call, long address, long bytes);
    }

    private static final int ENOMEM = 12;
    private static volatile FaultInjector faults;

    /**
     * Makes chosen system calls fail until {@code null} is installed again (tests: every public call must then either
     * succeed or throw its documented error, and lose nothing). Process-wide.
     */
    public static void injectFaults(FaultInjector injector) {
        faults = injector;
    }

    private static boolean refused(Call call, long address, long bytes) {
        FaultInjector f = faults;
        return f != null && f.fail(call, address, bytes);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        MemorySegment fn = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name));
        return LINKER.downcallHandle(fn, fd, CAPTURE_ERRNO);
    }


    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * Reserves {@code bytes} of address space with no access and no commit charge.
     *
     * @return the base address, or 0 if the kernel refused
     */
    public static long reserve(long bytes) {
        return map(bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    }

    /** Maps {@code bytes} of fresh, zeroed, read-write memory; lazily backed by the kernel. 0 on failure. */
    public static long mapReadWrite(long bytes) {
        return map(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    }

    /** Maps read-write memory that is not charged against the commit limit (metadata tables). 0 on failure. */
    public static long mapReadWriteNoReserve(long bytes) {
        return map(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    }

    private static long map(long bytes, int prot, int flags) {
        if (refused(Call.MMAP, 0, bytes)) return 0;
        // A confined arena per call for the errno capture: a system call costs microseconds, and nothing stays
        // behind per thread (a thread-local buffer would leak one per virtual thread).
        try (Arena arena = Arena.ofConfined()) {
            long r = (long) MMAP.invokeExact(arena.allocate(CALL_STATE), 0L, bytes, prot, flags, -1, 0L);
            return r == MAP_FAILED ? 0L : r;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    /** Unmaps a range; throws with errno if the kernel refuses (which means a Hako bug). */
    public static void unmap(long address, long bytes) {
        int errno = refused(Call.MUNMAP, address, bytes) ? ENOMEM : call(MUNMAP, address, bytes, Integer.MIN_VALUE);
        check("munmap", address, bytes, errno);
    }

    /** Makes a reserved range readable and writable (commits it). Returns false if the kernel refused. */
    public static boolean commit(long address, long bytes) {
        if (refused(Call.MPROTECT, address, bytes)) return false;
        return call(MPROTECT, address, bytes, PROT_READ | PROT_WRITE) == 0;
    }

    /** Gives the physical pages of a range back to the kernel; the range stays mapped and reads as zero. */
    public static void discard(long address, long bytes) {
        if (!tryDiscard(address, bytes)) throw new IllegalStateException(String.format("madvise(0x%x, %d) failed",
                address, bytes));
    }

    /** {@link #discard} that reports a refusal instead of throwing: false if the kernel refused. */
    public static boolean tryDiscard(long address, long bytes) {
        if (refused(Call.MADVISE, address, bytes)) return false;
        return call(MADVISE, address, bytes, MADV_DONTNEED) == 0;
    }

    /**
     * Lets the kernel take the physical pages of a range when it needs memory ({@code MADV_FREE}): cheaper than
     * {@link #discard}, but the pages stay in the process's RSS until there is memory pressure, and they read as
     * either the old data or zero. False if the kernel refused.
     */
    public static boolean discardLazily(long address, long bytes) {
        if (refused(Call.MADVISE, address, bytes)) return false;
        return call(MADVISE, address, bytes, MADV_FREE) == 0;
    }

    /** Returns 0 on success, else the call's errno (-1 if the kernel left errno at 0). */
    private static int call(MethodHandle h, long address, long bytes, int arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(CALL_STATE);
            int r = arg == Integer.MIN_VALUE
                    ? (int) h.invokeExact(st, address, bytes)
                    : (int) h.invokeExact(st, address, bytes, arg);
            if (r == 0) return 0;
            int e = errno(st);
            return e == 0 ? -1 : e;
        } catch (Throwable t) {
            throw new IllegalStateException("downcall failed", t);
        }
    }

    private static void check(String what, long address, long bytes, int errno) {
        if (errno != 0) {
            throw new IllegalStateException(String.format("%s(0x%x, %d) failed, errno=%d", what, address, bytes,
                    errno));
        }
    }
}
