package dev.hako.lab.suite;

import dev.hako.lab.peers.GlibcPeer;
import dev.hako.lab.suite.workload.BlockCheckException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A block broken behind a workload's back fails the run: each row detects a byte flipped in a live block. Not the
 * cache rows without a malloc while a checked block is live (cache-thrash: each object lives from its malloc to its
 * free with no other malloc in between, and its read-backs look for writes by other threads; cache-scratch1: the one
 * handed-out object is checked before any other malloc); cache-scratchN covers the handed-out objects' tags.
 */
class CorruptionDetectionTest {
    static Stream<String> rows() {
        return Workloads.cases().stream().map(SuiteCase::name).filter(n -> !n.startsWith("cache-thrash") && !n.equals("cache-scratch1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aFlippedByteFailsTheRun(String rowName) {
        SuiteCase row = Workloads.byName(rowName);
        CorruptingPeer peer = new CorruptingPeer(new GlibcPeer());
        BlockCheckException e = assertThrows(BlockCheckException.class,
                () -> row.workload().run(peer, row.threads(2), WorkloadRunTest.TINY));
        assertTrue(peer.corrupted > 0);
        assertTrue(e.getMessage().startsWith(row.workload().name() + ": "), e.getMessage());
    }
}
