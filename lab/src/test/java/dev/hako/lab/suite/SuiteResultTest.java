package dev.hako.lab.suite;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Medians and ratios to the best, on fixed data. */
class SuiteResultTest {
    private static final SuiteCase TIMED = Workloads.byName("sh6bench");
    private static final SuiteCase RATED = Workloads.byName("larson");

    private static SuiteConfig config() {
        return new SuiteConfig(List.of(TIMED, RATED), SuitePeers.parse(List.of("hako,glibc")), 2, 3, 1, 1, false,
                Path.of("out"), List.of(), 0, "rerun");
    }

    private static SuiteRecord run(int seq, SuiteCase row, int allocator, int round, String figure, double peak) {
        String key = row.workload().figure().key();
        return new SuiteRecord(seq, new SuiteJob(row, allocator, round), 1.0,
                Map.of("workload", row.name(), key, figure, "peak_rss_mib", Double.toString(peak), "base_rss_mib", "70"),
                null, "runs/x.log");
    }

    private static SuiteResult result() {
        List<SuiteRecord> r = new ArrayList<>();
        int s = 1;
        // sh6bench (time): hako 2.0, 1.0, 3.0 s -> median 2.0; glibc 4.0 s thrice.
        r.add(run(s++, TIMED, 0, 1, "2.0", 100));
        r.add(run(s++, TIMED, 1, 1, "4.0", 80));
        r.add(run(s++, TIMED, 0, 2, "1.0", 100));
        r.add(run(s++, TIMED, 1, 2, "4.0", 80));
        r.add(run(s++, TIMED, 0, 3, "3.0", 120));
        r.add(run(s++, TIMED, 1, 3, "4.0", 80));
        // larson (ops/s): hako 10 M, glibc 20 M; glibc's third run failed.
        r.add(run(s++, RATED, 0, 1, "10000000", 90));
        r.add(run(s++, RATED, 1, 1, "20000000", 90));
        r.add(new SuiteRecord(s++, new SuiteJob(RATED, 1, 2), 1.0, Map.of(), "the JVM exited with code 134", "runs/y.log"));
        return new SuiteResult(config(), r, Map.of("nproc", "2"), Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
    }

    @Test
    void timeRowsCompareMediansDirectly() {
        SuiteResult r = result();
        assertEquals(2.0, r.cell(TIMED, 0).median());
        assertEquals(1.0, r.relativeTime(TIMED, 0));
        assertEquals(2.0, r.relativeTime(TIMED, 1));
        assertEquals(100.0 / 80, r.relativeRss(TIMED, 0), 1e-9);
        assertEquals(1.0, r.relativeRss(TIMED, 1));
        assertEquals(100.0, r.cell(TIMED, 0).spreadPct(), 1e-9);
    }

    @Test
    void throughputRowsInvertTheRatio() {
        SuiteResult r = result();
        assertEquals(2.0, r.relativeTime(RATED, 0));
        assertEquals(1.0, r.relativeTime(RATED, 1));
        assertEquals(1, r.cell(RATED, 1).failed());
        assertEquals(1, r.cell(RATED, 1).values().size());
        assertEquals(1, r.failures().size());
        assertEquals(Math.sqrt(2.0), r.geomeanRelativeTime(0), 1e-9);
    }

    @Test
    void summaryLinesCarryTheFigureAndTheRatios() {
        List<String> lines = SuiteReport.lines(result());
        assertEquals(List.of(
                "suite: workload=sh6bench allocator=hako time_s=2.000 peak_rss_mib=100.0 rel_time=1.00 rel_rss=1.25 runs=3",
                "suite: workload=sh6bench allocator=glibc time_s=4.000 peak_rss_mib=80.0 rel_time=2.00 rel_rss=1.00 runs=3",
                "suite: workload=larson allocator=hako ops_per_s=10000000 peak_rss_mib=90.0 rel_time=2.00 rel_rss=1.00 runs=1",
                "suite: workload=larson allocator=glibc ops_per_s=20000000 peak_rss_mib=90.0 rel_time=1.00 rel_rss=1.00"
                        + " runs=1 failed_runs=1"), lines);
    }

    @Test
    void reportTablesNameEveryRowAndAllocator() {
        String md = SuiteReport.markdown(result());
        assertTrue(md.contains("2.000 s (1.00)") && md.contains("4.000 s (2.00)"), md);
        assertTrue(md.contains("10.00 M/s (2.00)") && md.contains("## Failures") && md.contains("exited with code 134"), md);
        String csv = SuiteReport.csv(result());
        assertEquals(10, csv.lines().count());
        assertTrue(csv.lines().skip(1).allMatch(l -> l.split(",").length >= 15), csv);
    }
}
