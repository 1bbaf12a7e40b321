package dev.hako.lab.peers;

import java.util.List;

/** The catalogue of peers, by the name given to {@code --allocator}. */
public final class Peers {
    private Peers() {}

    public static final String DEFAULT = HakoPeer.NAME;

    /** Every fixed name, in the order reports list them ({@code native:PATH} comes on top). */
    public static List<String> names() {
        return List.of(HakoPeer.NAME, NoopPeer.NAME, GlibcPeer.NAME, JemallocPeer.NAME, MimallocPeer.NAME,
                NettyPeer.POOLED, NettyPeer.ADAPTIVE, NettyPeer.HAKO);
    }

    /** Help text for {@code --allocator}: each peer and what it pays. */
    public static final String HELP = """
              hako            Hako (-Dhako.* pass through), per-thread Heap handle: no ThreadLocal per op
              noop            bump pointer, never frees or touches memory: the harness floor
              glibc           libc malloc/free via FFM critical downcalls
              jemalloc        LWJGL's jemalloc build (je_malloc/je_free) via FFM critical downcalls
              mimalloc        LWJGL's mimalloc build (mi_malloc/mi_free) via FFM critical downcalls
              native:PATH[:MALLOC:FREE]   any shared library's malloc/free via FFM (one per JVM)
              netty-pooled    PooledByteBufAllocator directBuffer(size)/release(), caches for all threads
              netty-adaptive  AdaptiveByteBufAllocator directBuffer(size)/release()
              netty-hako      HakoByteBufAllocator directBuffer(size)/release(): Hako blocks (-Dhako.* pass through)
            Object-based peers (netty-*) run a twin loop over Object[] slots and rings (same RNG, same ring
            cycle, same op counting). They pay a ByteBuf object per block, an atomic refcount per release,
            Netty's thread-local lookups, and the harness's reference stores (GC barriers).""";

    /**
     * Builds a peer.
     *
     * @param name   a name from {@link #names()} or {@code native:PATH[:MALLOC:FREE]}
     * @param remote Hako's remote-free strategy, or {@code null} for the default; only for {@code hako}
     * @throws IllegalArgumentException for an unknown name or a bad option, with the reason
     */
    public static Peer create(String name, String remote) {
        if (remote != null && !HakoPeer.NAME.equals(name)) {
            throw new IllegalArgumentException("--remote applies to --allocator hako only, not " + name);
        }
        try {
            return switch (name) {
                case HakoPeer.NAME -> new HakoPeer(remote);
                case NoopPeer.NAME -> new NoopPeer();
                case GlibcPeer.NAME -> new GlibcPeer();
                case JemallocPeer.NAME -> new JemallocPeer();
                case MimallocPeer.NAME -> new MimallocPeer();
                case NettyPeer.POOLED -> NettyPeer.pooled();
                case NettyPeer.ADAPTIVE -> NettyPeer.adaptive();
                case NettyPeer.HAKO -> NettyPeer.hako();
                default -> {
                    if (name.startsWith(NativeLibPeer.PREFIX)) yield new NativeLibPeer(name);
                    throw new IllegalArgumentException("unknown allocator '" + name + "'; known: "
                            + String.join(", ", names()) + ", native:/path/lib.so");
                }
            };
        } catch (ExceptionInInitializerError e) {
            // A library that failed to load in a static initializer: report the reason, not the wrapper.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("cannot set up allocator '" + name + "': " + cause.getMessage(), cause);
        }
    }
}
