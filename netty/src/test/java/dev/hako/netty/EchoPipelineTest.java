package dev.hako.netty;

import dev.hako.HakoAllocator;
import dev.hako.HakoStats;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: Netty's echo over loopback TCP with every buffer from a {@link HakoByteBufAllocator}, buffers
 * crossing threads both ways (remote frees, see {@link EchoRig}), Netty's leak detector at PARANOID (every buffer
 * tracked). Afterwards: every byte came back right, no leak was reported, and Hako's audit balances (every block
 * back, none twice).
 *
 * <p>Runs in a JVM of its own (surefire execution {@code echo-pipeline}): the leak recorder must be installed
 * before the JVM's first {@code ByteBuf}.
 */
class EchoPipelineTest {
    private static final LeakRecorder LEAKS = LeakRecorder.install();

    private static final int CONNECTIONS = 32;
    private static final int MESSAGES = 40;
    private static final int MAX_MESSAGE = 20_000;
    private static final int LARGE_MESSAGE = 150_000;
    private static final int MAX_GC_ROUNDS = 100;
    private static int gcRoundsToSeeALeak;

    /** Turns PARANOID on and proves that a leak is seen: one unreleased buffer must be reported. */
    @BeforeAll
    static void paranoidDetectorThatSeesALeak() throws InterruptedException {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        leakOneBuffer();
        assertTrue(LEAKS.buildsByteBufDetector(), "Netty's ByteBuf leak detector was built before the recorder"
                + " was installed: run this test in a JVM of its own");
        for (int round = 1; round <= MAX_GC_ROUNDS && LEAKS.leaks().isEmpty(); round++) {
            collectAndPoll();
            gcRoundsToSeeALeak = round;
        }
        assertEquals(1, LEAKS.leaks().size(), "the canary leak after " + gcRoundsToSeeALeak + " GC rounds: "
                + LEAKS.leaks());
        LEAKS.clear();
    }

    /** A direct buffer of Netty's unpooled allocator (tracked, and not Hako's) dropped unreleased. */
    private static void leakOneBuffer() {
        Unpooled.directBuffer(16).writeInt(42);
    }

    /** A GC, time for the collected references to be queued, and a tracked allocation (where Netty reports). */
    private static void collectAndPoll() throws InterruptedException {
        System.gc();
        Thread.sleep(20);
        Unpooled.directBuffer(1).release();
    }

    @ParameterizedTest(name = "remote={0}")
    @ValueSource(strings = {"push", "parcel"})
    void everyByteEchoesBackAndEveryBlockComesHome(String remote) throws Exception {
        HakoAllocator hako = TestHako.create(remote);
        try {
            EchoRig rig = new EchoRig(new HakoByteBufAllocator(hako));
            try {
                rig.run(CONNECTIONS, MESSAGES, MAX_MESSAGE, LARGE_MESSAGE, remote.hashCode(), 600);
            } finally {
                rig.shutDown();
            }
            assertNull(rig.failure(), () -> "echo failed: " + rig.failure());
            for (EchoRig.Connection c : rig.connections()) {
                assertEquals(c.total(), c.received, "bytes echoed back to connection " + c.id);
            }

            HakoStats stats = hako.stats();
            if (stats.enabled()) assertTrue(stats.get("remote_frees") > 0, "no remote free: " + stats.line());

            for (int round = 0; round < Math.max(5, 2 * gcRoundsToSeeALeak); round++) collectAndPoll();
            assertEquals(java.util.List.of(), LEAKS.leaks(), "leaks reported");

            TestHako.assertAllFree(hako);
        } finally {
            hako.close();
        }
    }
}
