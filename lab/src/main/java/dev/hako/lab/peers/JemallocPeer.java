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
public final class JemallocPeer implements AddressPeer, CommittedMemory {
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

    /** {@code je_mallctl(name, oldp, oldlenp, newp, newlen)}, for one-off queries. */
    private static final class Ctl {
        static final MethodHandle MALLCTL = NativeCalls.plain(NativeCalls.symbol(Fn.LIB, "je_mallctl",
                Fn.PATH.toString()), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    }

    /** jemalloc's own version string, from {@code mallctl("version")}. */
    private static String version() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment len = arena.allocate(JAVA_LONG);
            len.set(JAVA_LONG, 0, ADDRESS.byteSize());
            int rc = (int) Ctl.MALLCTL.invokeExact(arena.allocateFrom("version"), out, len, MemorySegment.NULL, 0L);
            if (rc != 0) return "?";
            return out.get(ADDRESS, 0).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "?";
        }
    }

    /**
     * {@code stats.mapped} after an {@code epoch} refresh: the bytes of extents jemalloc has mapped and in use (dirty
     * and muzzy pages included, retained address space not); -1 when the build has no statistics.
     */
    @Override
    public long committedBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment epoch = arena.allocate(JAVA_LONG);
            epoch.set(JAVA_LONG, 0, 1);
            if ((int) Ctl.MALLCTL.invokeExact(arena.allocateFrom("epoch"), MemorySegment.NULL, MemorySegment.NULL,
                    epoch, JAVA_LONG.byteSize()) != 0) return -1;
            MemorySegment out = arena.allocate(JAVA_LONG);
            MemorySegment len = arena.allocate(JAVA_LONG);
            len.set(JAVA_LONG, 0, JAVA_LONG.byteSize());
            int rc = (int) Ctl.MALLCTL.invokeExact(arena.allocateFrom("stats.mapped"), out, len, MemorySegment.NULL,
                    0L);
            return rc == 0 ? out.get(JAVA_LONG, 0) : -1;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public String committedSource() {
        return "jemalloc stats.mapped";
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
