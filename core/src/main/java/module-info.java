/**
 * Hako, a thread-caching allocator of native memory on the Foreign Function &amp; Memory API: {@code malloc},
 * {@code free}, {@code calloc}, {@code realloc}, aligned allocation, {@code MemorySegment}s and a
 * {@code java.lang.foreign.Arena}, with per-thread caches, size classes, pages that come back to the kernel, and
 * pluggable remote-free strategies.
 *
 * <p>Only {@code dev.hako} is exported; everything else is the allocator's inside. Hako maps memory through the FFM
 * {@code Linker}: run with {@code --enable-native-access=dev.hako}.
 */
module dev.hako {
    requires jdk.jfr;          // dev.hako.events: registered only once a recording starts
    requires java.management;  // the opt-in MXBean (-Dhako.jmx=true)

    exports dev.hako;
}
