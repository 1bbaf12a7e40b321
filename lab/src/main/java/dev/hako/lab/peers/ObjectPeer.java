package dev.hako.lab.peers;

/**
 * A peer whose blocks are Java objects (Netty's {@code ByteBuf}s). The harness keeps them in {@code Object[]}
 * slots and rings, which costs reference stores (GC card marks) and keeps the objects reachable; the peer itself
 * pays a wrapper object per block (pooled by Netty's recycler), reference counting and its thread-local lookups.
 */
public non-sealed interface ObjectPeer extends Peer {
    /** Opens the calling thread's handle; see {@link AddressPeer#open(int)}. */
    ObjectHandle open(int thread);
}
