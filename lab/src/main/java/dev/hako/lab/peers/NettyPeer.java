package dev.hako.lab.peers;

import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.netty.HakoByteBufAllocator;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;

/**
 * Netty's direct-buffer allocators, and Hako's ({@code netty-hako}): {@code directBuffer(size)} to allocate,
 * {@code release()} to free.
 *
 * <p>What they pay here beyond the memory itself: a {@code ByteBuf} object per block (recycled through Netty's
 * {@code Recycler}), an atomic reference count on release, a {@code FastThreadLocal} lookup per call on plain
 * (non-Netty) threads, and the harness's {@code Object[]} slots and rings. Leak detection is switched off (it
 * samples and wraps buffers, a debugging aid rather than allocator work).
 */
public final class NettyPeer implements ObjectPeer {
    public static final String POOLED = "netty-pooled";
    public static final String ADAPTIVE = "netty-adaptive";
    public static final String HAKO = "netty-hako";

    private final String name;
    private final ByteBufAllocator allocator;
    private final String config;
    private final String remote;
    private final AutoCloseable resources;

    private NettyPeer(String name, ByteBufAllocator allocator, String config, String remote,
                      AutoCloseable resources) {
        this.name = name;
        this.allocator = allocator;
        this.config = config;
        this.remote = remote;
        this.resources = resources;
    }

    private NettyPeer(String name, ByteBufAllocator allocator, String config) {
        this(name, allocator, config, "-", () -> { });
    }

    /**
     * {@code PooledByteBufAllocator} with Netty's default arenas, page size, order and cache sizes, and
     * thread caches for every thread ({@code useCacheForAllThreads}), not only Netty's own threads.
     */
    public static NettyPeer pooled() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        int arenas = PooledByteBufAllocator.defaultNumDirectArena();
        PooledByteBufAllocator a = new PooledByteBufAllocator(true, 0, arenas,
                PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
                PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
                true);
        return new NettyPeer(POOLED, a, "PooledByteBufAllocator direct_arenas=" + arenas + " page="
                + PooledByteBufAllocator.defaultPageSize() + " max_order=" + PooledByteBufAllocator.defaultMaxOrder()
                + " small_cache=" + PooledByteBufAllocator.defaultSmallCacheSize() + " normal_cache="
                + PooledByteBufAllocator.defaultNormalCacheSize() + " cache_for_all_threads=true");
    }

    /** {@code AdaptiveByteBufAllocator} (Netty 4.2's default), direct buffers preferred. */
    public static NettyPeer adaptive() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        return new NettyPeer(ADAPTIVE, new AdaptiveByteBufAllocator(true), "AdaptiveByteBufAllocator direct=true");
    }

    /**
     * {@code HakoByteBufAllocator} (module hako-netty) over a Hako allocator of its own, built from the
     * {@code hako.*} system properties (so {@code -Dhako.remote=parcel} picks the strategy); closed with the peer.
     */
    public static NettyPeer hako() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        HakoAllocator hako = HakoAllocator.create(HakoConfig.fromSystemProperties());
        // Event loops end a moment after their shutdown future completes: the close waits for them to end.
        return new NettyPeer(HAKO, new HakoByteBufAllocator(hako), "HakoByteBufAllocator over " + hako.describe(),
                hako.config().remote(), () -> hako.closeWithin(java.time.Duration.ofSeconds(10)));
    }

    @Override
    public String name() {
        return name;
    }

    /** Hako's remote-free strategy for {@code netty-hako}, "-" for Netty's own allocators. */
    public String remote() {
        return remote;
    }

    /** The allocator itself, for the echo pipeline ({@code hako echo}). */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        Version v = Version.identify(NettyPeer.class.getClassLoader()).get("netty-buffer");
        return "netty-buffer " + (v == null ? "?" : v.artifactVersion()) + " " + config + " leak_detection=disabled"
                + " unsafe=" + PlatformDependent.hasUnsafe() + ": directBuffer(size)/release()";
    }

    @Override
    public ObjectHandle open(int thread) {
        return new Handle(allocator);
    }

    private static final class Handle implements ObjectHandle {
        private final ByteBufAllocator allocator;

        Handle(ByteBufAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        public Object alloc(int size) {
            return allocator.directBuffer(size);
        }

        @Override
        public void free(Object block) {
            ((ByteBuf) block).release();
        }

        /** What a Netty thread does when it ends: drops its thread caches back to the arenas. */
        @Override
        public void close() {
            FastThreadLocal.removeAll();
        }
    }
}
