package dev.hako.lab.peers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed-memory gauges of the peers that have one: they answer, and a large live block shows in them. */
class CommittedMemoryTest {
    private static final long BLOCK = 8L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"hako", "glibc", "jemalloc", "mimalloc"})
    void aLiveBlockIsCounted(String name) {
        try (Peer peer = Peers.create(name, null)) {
            CommittedMemory gauge = (CommittedMemory) peer;
            assertFalse(gauge.committedSource().isBlank());
            long before = gauge.committedBytes();
            AddressHandle h = ((AddressPeer) peer).open(0);
            long p = h.malloc(BLOCK);
            try {
                long during = gauge.committedBytes();
                if (before < 0) { // this build cannot say (LWJGL's jemalloc has no statistics): it never says
                    assertTrue(during < 0, name + ": " + during);
                    return;
                }
                assertTrue(during >= BLOCK, name + ": committed " + during + " with an 8 MiB block live");
            } finally {
                h.free(p);
                h.close();
            }
        }
    }
}
