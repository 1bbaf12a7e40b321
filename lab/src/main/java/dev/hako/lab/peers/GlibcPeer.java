package dev.hako.lab.peers;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The C library's {@code malloc}/{@code free} (glibc on Linux) through FFM downcalls. */
public final class GlibcPeer implements AddressPeer, CommittedMemory {
    public static final String NAME = "glibc";

    /** Static finals, so that C2 treats the handles as constants and inlines the downcall stub. */
    private static final class Fn {
        static final MethodHandle MALLOC = NativeCalls.critical(NativeCalls.symbol(NativeCalls.libc(), "malloc",
                "libc"), NativeCalls.MALLOC);
        static final MethodHandle FREE = NativeCalls.critical(NativeCalls.symbol(NativeCalls.libc(), "free",
                "libc"), NativeCalls.FREE);
    }

    /** {@code struct mallinfo2} (glibc 2.33+): ten {@code size_t} fields; absent on older C libraries. */
    private static final class Info {
        static final StructLayout MALLINFO2 = MemoryLayout.structLayout(JAVA_LONG.withName("arena"),
                JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"), JAVA_LONG.withName("hblks"),
                JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"), JAVA_LONG.withName("fsmblks"),
                JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"), JAVA_LONG.withName("keepcost"));
        static final long ARENA = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("arena"));
        static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
        static final MethodHandle CALL = NativeCalls.libc().find("mallinfo2")
                .map(f -> NativeCalls.plain(f, FunctionDescriptor.of(MALLINFO2))).orElse(null);
    }

    private static final Handle HANDLE = new Handle();

    public GlibcPeer() {
        Fn.MALLOC.type(); // load the symbols now, not in the first timed call
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "glibc: libc malloc/free via FFM critical downcalls";
    }

    /** {@code mallinfo2()}: the arenas' memory from the kernel ({@code arena}) plus mmapped chunks ({@code hblkhd}). */
    @Override
    public long committedBytes() {
        if (Info.CALL == null) return -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) Info.CALL.invokeExact((SegmentAllocator) arena);
            return info.get(JAVA_LONG, Info.ARENA) + info.get(JAVA_LONG, Info.HBLKHD);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public String committedSource() {
        return "mallinfo2 arena+hblkhd (the JVM's own malloc use included)";
    }

    @Override
    public AddressHandle open(int thread) {
        return HANDLE;
    }

    private static final class Handle implements AddressHandle {
        @Override
        public long malloc(long size) {
            try {
                return (long) Fn.MALLOC.invokeExact(size);
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
        }

        @Override
        public void free(long address) {
            try {
                Fn.FREE.invokeExact(address);
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
        }
    }
}
