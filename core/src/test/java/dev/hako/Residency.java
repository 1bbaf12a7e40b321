package dev.hako;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** How much of a range is resident, from the kernel ({@code mincore}): tests of decay and trim. */
public final class Residency {
    private Residency() {}

    private static final MethodHandle MINCORE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("mincore").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS));

    /** Resident bytes of {@code [address, address + bytes)} (both 4 KiB aligned). */
    public static long residentBytes(long address, long bytes) {
        long pages = bytes >>> 12;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vec = arena.allocate(pages);
            int r = (int) MINCORE.invokeExact(address, bytes, vec);
            if (r != 0) throw new IllegalStateException("mincore failed");
            long resident = 0;
            for (long i = 0; i < pages; i++) if ((vec.get(ValueLayout.JAVA_BYTE, i) & 1) != 0) resident++;
            return resident << 12;
        } catch (Throwable t) {
            if (t instanceof RuntimeException e) throw e;
            throw new IllegalStateException(t);
        }
    }
}
