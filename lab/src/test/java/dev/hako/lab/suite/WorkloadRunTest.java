package dev.hako.lab.suite;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.GlibcPeer;
import dev.hako.lab.peers.HakoPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of the suite runs in this JVM at a tiny size, on Hako and on glibc, and verifies what it wrote: a run
 * returns only if every block it checked held its pattern or tag (otherwise it throws).
 */
class WorkloadRunTest {
    static final double TINY = 0.004;
    private static HakoPeer hako;
    private static GlibcPeer glibc;

    @BeforeAll
    static void peers() {
        hako = new HakoPeer(null);
        glibc = new GlibcPeer();
    }

    @AfterAll
    static void close() {
        hako.close();
    }

    static Stream<Arguments> rowsAndPeers() {
        List<Arguments> a = new ArrayList<>();
        for (SuiteCase row : Workloads.cases()) {
            a.add(Arguments.of(row.name(), "hako"));
            a.add(Arguments.of(row.name(), "glibc"));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("rowsAndPeers")
    void runsAndChecksWhatItWrote(String rowName, String peerName) throws InterruptedException {
        SuiteCase row = Workloads.byName(rowName);
        AddressPeer peer = peerName.equals("hako") ? hako : glibc;
        Outcome o = row.workload().run(peer, row.threads(2), TINY);
        assertTrue(o.checked() > 0, rowName + ": no block was checked: " + o);
        assertTrue(o.ops() >= 1, rowName + ": no operation counted: " + o);
        assertTrue(o.value(row.workload().figure()) > 0, rowName + ": figure not positive: " + o);
    }
}
