package dev.hako.lab.ab;

import java.util.Locale;

/** Bench output text in the seed's format (issue 3), for tests that must not start JVMs. */
final class Fixtures {
    private Fixtures() {}

    /** A whole bench JVM's output; {@code atomics} < 0 leaves out the counter lines. */
    static String output(String allocator, String remote, int threads, long iters, int remotePct, double seconds,
                         long ops, double fallbackPct, double atomics) {
        long sends = 1_000_000;
        long fallbackFrees = Math.round(sends * fallbackPct / (100 - fallbackPct));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "[BENCH_ARGS] threads=%d iters=%d ws=400 min=16 max=2048 remote_pct=%d"
                + " ring_slots=262144%n", threads, iters, remotePct));
        sb.append(String.format(Locale.ROOT, "[HAKO] allocator=%s remote=%s jdk=25+36-LTS%n", allocator, remote));
        sb.append(String.format(Locale.ROOT, "bench_random_mixed_mt_remote: threads=%d ops=%d time=%.6f ops/s=%.2f%n",
                threads, ops, seconds, ops / seconds));
        sb.append(String.format(Locale.ROOT, "[EFFECTIVE_REMOTE] target=%d actual=%.2f%% fallback_rate=%.2f%% sends=%d"
                        + " local_frees=%d fallback_frees=%d recv_frees=%d%n", remotePct, remotePct * 0.99, fallbackPct,
                sends, 100_000, fallbackFrees, sends - 10));
        sb.append(String.format(Locale.ROOT, "[ITERS] iters=%d time=%.6f iters_per_s=%.2f allocs=1 dirty=%b"
                + " worker_cpu_s=%.6f%n", threads * iters, seconds, threads * iters / seconds, fallbackPct > 0.1, seconds));
        sb.append("[ALLOC_FAILURES] count=0\n");
        if (atomics >= 0) {
            sb.append("[HAKO_STATS] remote=").append(remote).append(" mallocs=1000 frees=990 committed_kb=4096\n");
            sb.append(String.format(Locale.ROOT, "[REMOTE_STATS] remote=%s remote_frees=%d pushes=%d cas_attempts=%d"
                            + " cas_failures=0 fallbacks=0 drains=10 drained_blocks=100 atomics_per_remote_free=%.4f"
                            + " fallback_rate=0.00%% blocks_per_drain=10.00%n", remote, sends, sends,
                    Math.round(sends * atomics), atomics));
        }
        sb.append("[PROCESS_MEMORY] peak_rss_kb=204800\n");
        return sb.toString();
    }

    /** A timed run's record whose iterations/s come out as {@code mIters} million. */
    static RunRecord run(int seq, Cell cell, int variant, RunKind kind, double mIters, double fallbackPct,
                         double atomics, SampleShare samples) {
        long iters = 1_000_000;
        double seconds = cell.threads() * (double) iters / (mIters * 1e6);
        String text = output("hako", "push", cell.threads(), iters, cell.remotePct(), seconds,
                Math.round(3 * cell.threads() * (double) iters), fallbackPct, atomics);
        return new RunRecord(seq, new PlannedRun(cell, variant, kind, 1), BenchOutputParser.parse(text, iters), 1.0,
                "runs/x.log", samples);
    }
}
