package dev.hako.lab.peers;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * FFM downcalls to C {@code malloc}/{@code free}-shaped functions.
 *
 * <p>Pointers and {@code size_t} travel as {@code long} (LP64: the same registers as {@code void*}), so a call
 * creates no {@code MemorySegment}. The handles are made {@link Linker.Option#critical(boolean) critical}
 * (without heap access): that skips the Java-to-native thread-state transition, about 1 ns a call. It is safe
 * here because malloc and free never call back into Java, take only primitive arguments and return quickly; the
 * price is that a call which does block (an arena lock, an {@code mmap}) holds back safepoints until it returns,
 * which a benchmark that allocates no Java objects in its loop does not notice.
 */
final class NativeCalls {
    private NativeCalls() {}

    private static final Linker LINKER = Linker.nativeLinker();
    static final FunctionDescriptor MALLOC = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG);
    static final FunctionDescriptor FREE = FunctionDescriptor.ofVoid(JAVA_LONG);

    static {
        if (ValueLayout.ADDRESS.byteSize() != 8) {
            throw new IllegalStateException("native peers need a 64-bit platform (pointers passed as long)");
        }
    }

    /** The C library's own symbols. */
    static SymbolLookup libc() {
        return LINKER.defaultLookup();
    }

    /** Loads a shared library for the life of the JVM. */
    static SymbolLookup library(Path path) {
        try {
            return SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load native library " + path + ": " + e.getMessage(), e);
        }
    }

    static MemorySegment symbol(SymbolLookup lookup, String name, String where) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException(
                "symbol '" + name + "' not found in " + where));
    }

    /** A critical downcall handle (see the class comment for why that is safe for malloc/free). */
    static MethodHandle critical(MemorySegment function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(function, descriptor, Linker.Option.critical(false));
    }

    /** An ordinary downcall handle, for one-off calls (version queries). */
    static MethodHandle plain(MemorySegment function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(function, descriptor);
    }
}
