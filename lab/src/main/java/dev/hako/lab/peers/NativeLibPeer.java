package dev.hako.lab.peers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any shared library exporting {@code malloc}/{@code free} (or other names of the same shape):
 * {@code native:/path/lib.so} or {@code native:/path/lib.so:je_malloc:je_free}.
 *
 * <p>The downcall handles are static finals (constants for C2), so one JVM binds one such library; asking for
 * a second one is an error. {@code dlsym} on a library handle also searches its dependencies, so a library that
 * does not define {@code malloc} itself would silently resolve to libc's: that case is reported on stderr.
 */
public final class NativeLibPeer implements AddressPeer {
    public static final String PREFIX = "native:";

    private record Binding(Path path, String mallocName, String freeName) {}

    private static volatile Binding requested;

    private static final class Fn {
        static final Binding BINDING = requested;
        static final SymbolLookup LIB = NativeCalls.library(BINDING.path);
        static final MemorySegment MALLOC_SYMBOL = NativeCalls.symbol(LIB, BINDING.mallocName,
                BINDING.path.toString());
        static final MethodHandle MALLOC = NativeCalls.critical(MALLOC_SYMBOL, NativeCalls.MALLOC);
        static final MethodHandle FREE = NativeCalls.critical(NativeCalls.symbol(LIB, BINDING.freeName,
                BINDING.path.toString()), NativeCalls.FREE);
    }

    private static final Handle HANDLE = new Handle();
    private final Binding binding;

    /** @param spec {@code native:PATH} or {@code native:PATH:MALLOC_SYMBOL:FREE_SYMBOL} */
    public NativeLibPeer(String spec) {
        this.binding = parse(spec);
        if (!Files.isRegularFile(binding.path)) {
            throw new IllegalArgumentException("native library not found: " + binding.path);
        }
        synchronized (NativeLibPeer.class) {
            if (requested == null) requested = binding;
            else if (!requested.equals(binding)) {
                throw new IllegalStateException("one native: library per JVM; already bound " + requested.path);
            }
        }
        MemorySegment libcMalloc = NativeCalls.libc().find("malloc").orElse(MemorySegment.NULL);
        if (Fn.MALLOC_SYMBOL.address() == libcMalloc.address() && !binding.path.getFileName().toString()
                .startsWith("libc.")) {
            System.err.println("hako: warning: " + binding.path + " does not define " + binding.mallocName
                    + " itself; the symbol resolved to libc's");
        }
    }

    private static Binding parse(String spec) {
        if (!spec.startsWith(PREFIX) || spec.length() == PREFIX.length()) {
            throw new IllegalArgumentException("expected native:/path/lib.so[:MALLOC:FREE], got '" + spec + "'");
        }
        String[] parts = spec.substring(PREFIX.length()).split(":");
        if (parts.length == 1) return new Binding(Path.of(parts[0]).toAbsolutePath(), "malloc", "free");
        if (parts.length == 3) return new Binding(Path.of(parts[0]).toAbsolutePath(), parts[1], parts[2]);
        throw new IllegalArgumentException("expected native:/path/lib.so[:MALLOC:FREE], got '" + spec + "'");
    }

    @Override
    public String name() {
        return PREFIX + binding.path;
    }

    @Override
    public String describe() {
        return "native " + binding.path + ": " + binding.mallocName + "/" + binding.freeName
                + " via FFM critical downcalls";
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
