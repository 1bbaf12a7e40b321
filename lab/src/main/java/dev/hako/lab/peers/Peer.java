package dev.hako.lab.peers;

/**
 * An allocator the benchmark can run: either address-based ({@link AddressPeer}: {@code long} in, {@code long}
 * out) or object-based ({@link ObjectPeer}: a Java object per block, e.g. a Netty {@code ByteBuf}).
 *
 * <p>One peer per JVM is the intended use: the benchmark loop then sees a single handle class and C2 inlines the
 * peer's fast path. Per-thread state lives in the handle a worker opens once ({@code open(thread)}), so no
 * {@code ThreadLocal} is looked up per operation.
 */
public sealed interface Peer extends AutoCloseable permits AddressPeer, ObjectPeer {
    /** The name given to {@code --allocator}. */
    String name();

    /** One line saying what exactly runs (library, version, configuration), for logs and reports. */
    String describe();

    /** Releases what the peer holds (for most peers nothing: native libraries stay loaded). */
    @Override
    default void close() {}
}
