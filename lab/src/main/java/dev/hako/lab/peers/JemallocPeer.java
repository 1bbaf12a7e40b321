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
 * jemalloc from {@code org.lwjgl:lwjgl-jemalloc:natives-linux}, called through FFM (cheaper than LWJGL's JNI
 * bindings). LWJGL builds it with the {@code je_} prefix, so it lives beside glibc without replacing it.
 */
public final class JemallocPeer implements AddressPeer {
    public static final String NAME = "jemalloc";

    private static final class Fn {
        static final Path PATH = LwjglNatives.extract("jemalloc");
        static final SymbolLookup LIB = NativeCalls.library(PATH);
        static final MethodHandle MALLOC = NativeCalls.critical(NativeCalls.symbol(LIB, "je_malloc", PATH.toString()),
                NativeCalls.MALLOC);
        static final MethodHandle FREE = NativeCalls.critical(NativeCalls.symbol(LIB, "je_free", PATH.toString()),
                NativeCalls.FREE);
    }

    private static final Handle HANDLE = new Handle();

    public JemallocPeer() {
        Fn.MALLOC.type();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "jemalloc " + version() + " (lwjgl-jemalloc natives-linux, source " + LwjglNatives.sourceCommit("jemalloc")
                + "): je_malloc/je_free via FFM critical downcalls";
    }

    /** jemalloc's own version string, from {@code mallctl("version")}. */
    private static String version() {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle mallctl = NativeCalls.plain(NativeCalls.symbol(Fn.LIB, "je_mallctl", Fn.PATH.toString()),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment len = arena.allocate(JAVA_LONG);
            len.set(JAVA_LONG, 0, ADDRESS.byteSize());
            int rc = (int) mallctl.invokeExact(arena.allocateFrom("version"), out, len, MemorySegment.NULL, 0L);
            if (rc != 0) return "?";
            return out.get(ADDRESS, 0).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "?";
        }
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
