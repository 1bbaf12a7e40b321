package dev.hako.lab.peers;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * mimalloc from {@code org.lwjgl:lwjgl-mimalloc:natives-linux}, called through FFM: {@code mi_malloc} and
 * {@code mi_free} (LWJGL's build does not override {@code malloc}).
 */
public final class MimallocPeer implements AddressPeer, CommittedMemory {
    public static final String NAME = "mimalloc";

    private static final class Fn {
        static final Path PATH = LwjglNatives.extract("mimalloc");
        static final SymbolLookup LIB = NativeCalls.library(PATH);
        static final MethodHandle MALLOC = NativeCalls.critical(NativeCalls.symbol(LIB, "mi_malloc", PATH.toString()),
                NativeCalls.MALLOC);
        static final MethodHandle FREE = NativeCalls.critical(NativeCalls.symbol(LIB, "mi_free", PATH.toString()),
                NativeCalls.FREE);
    }

    private static final Handle HANDLE = new Handle();

    public MimallocPeer() {
        Fn.MALLOC.type();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "mimalloc " + version() + " (lwjgl-mimalloc natives-linux, source " + LwjglNatives.sourceCommit("mimalloc")
                + "): mi_malloc/mi_free via FFM critical downcalls";
    }

    /** {@code mi_version()} as the library reports it (its encoding changed across releases, so printed raw). */
    private static String version() {
        try {
            MethodHandle h = NativeCalls.plain(NativeCalls.symbol(Fn.LIB, "mi_version", Fn.PATH.toString()),
                    FunctionDescriptor.of(JAVA_INT));
            int v = (int) h.invokeExact();
            return "mi_version=" + v;
        } catch (Throwable t) {
            return "?";
        }
    }

    /**
     * {@code mi_process_info(elapsed, user, system, current_rss, peak_rss, current_commit, peak_commit, faults)}:
     * eight {@code size_t*} out-parameters.
     */
    private static final class Info {
        static final int FIELDS = 8;
        static final int CURRENT_COMMIT = 5;
        static final MethodHandle CALL = NativeCalls.plain(NativeCalls.symbol(Fn.LIB, "mi_process_info",
                Fn.PATH.toString()), FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS));
    }

    /** mimalloc's committed memory ({@code current_commit} of {@code mi_process_info}). */
    @Override
    public long committedBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG, Info.FIELDS);
            long w = JAVA_LONG.byteSize();
            Info.CALL.invokeExact(out, out.asSlice(w), out.asSlice(2 * w), out.asSlice(3 * w), out.asSlice(4 * w),
                    out.asSlice(5 * w), out.asSlice(6 * w), out.asSlice(7 * w));
            return out.getAtIndex(JAVA_LONG, Info.CURRENT_COMMIT);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public String committedSource() {
        return "mimalloc mi_process_info current_commit";
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
