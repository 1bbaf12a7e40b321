package dev.hako.lab.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every peer loads from the class path (Maven Central artifacts only) and allocates and frees. */
class PeersTest {
    @ParameterizedTest
    @ValueSource(strings = {"hako", "noop", "glibc", "jemalloc", "mimalloc"})
    void addressPeersAllocateAndFreeAcrossThreads(String name) throws Exception {
        try (Peer peer = Peers.create(name, null)) {
            AddressPeer p = (AddressPeer) peer;
            assertEquals(name, p.name());
            assertTrue(!p.describe().isBlank());
            long[] blocks = new long[64];
            try (AddressHandle h = p.open(0)) {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = h.malloc(16 + 31L * i);
                    assertNotEquals(0, blocks[i]);
                }
                for (int i = 0; i < blocks.length / 2; i++) h.free(blocks[i]);
            }
            // The other half is freed by another thread: a remote free for the thread-caching peers.
            Thread t = Thread.ofPlatform().start(() -> {
                try (AddressHandle h = p.open(1)) {
                    for (int i = blocks.length / 2; i < blocks.length; i++) h.free(blocks[i]);
                }
            });
            t.join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty-pooled", "netty-adaptive", "netty-hako"})
    void objectPeersAllocateAndRelease(String name) throws Exception {
        try (Peer peer = Peers.create(name, null)) {
            ObjectPeer p = (ObjectPeer) peer;
            assertTrue(p.describe().contains("netty-buffer 4.2"), p.describe());
            Object[] blocks = new Object[64];
            try (ObjectHandle h = p.open(0)) {
                for (int i = 0; i < blocks.length; i++) assertNotNull(blocks[i] = h.alloc(16 + 31 * i));
            }
            Thread t = Thread.ofPlatform().start(() -> {
                try (ObjectHandle h = p.open(1)) {
                    for (Object b : blocks) h.free(b);
                }
            });
            t.join();
            for (Object b : blocks) assertEquals(0, ((io.netty.buffer.ByteBuf) b).refCnt());
        }
    }

    @Test
    void nativePathPeerBindsNamedSymbols() {
        String spec = "native:" + LwjglNatives.extract("jemalloc") + ":je_malloc:je_free";
        AddressPeer p = (AddressPeer) Peers.create(spec, null);
        AddressHandle h = p.open(0);
        long a = h.malloc(100);
        assertNotEquals(0, a);
        h.free(a);
        assertTrue(p.describe().contains("je_malloc/je_free"));
    }

    @Test
    void badNamesAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Peers.create("tcmalloc", null));
        assertTrue(e.getMessage().contains("known: hako, noop"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Peers.create("glibc", "push"));
        assertTrue(e.getMessage().contains("--remote"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Peers.create("native:/no/such/lib.so", null));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
