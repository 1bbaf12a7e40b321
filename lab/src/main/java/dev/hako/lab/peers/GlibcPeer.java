package dev.hako.lab.peers;

import java.lang.invoke.MethodHandle;

/** The C library's {@code malloc}/{@code free} (glibc on Linux) through FFM downcalls. */
public final class GlibcPeer implements AddressPeer {
    public static final String NAME = "glibc";

    /** Static finals, so that C2 treats the handles as constants and inlines the downcall stub. */
    private static final class Fn {
        static final MethodHandle MALLOC = NativeCalls.critical(NativeCalls.symbol(NativeCalls.libc(), "malloc",
                "libc"), NativeCalls.MALLOC);
        static final MethodHandle FREE = NativeCalls.critical(NativeCalls.symbol(NativeCalls.libc(), "free",
                "libc"), NativeCalls.FREE);
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
