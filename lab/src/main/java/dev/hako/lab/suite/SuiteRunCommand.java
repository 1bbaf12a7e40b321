package dev.hako.lab.suite;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.util.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code hako suite run}: one workload, one allocator, in this JVM (what {@code hako suite} forks for each run; also
 * handy under a profiler). Prints one {@code suite:} line, or {@code suite: FAILED ...} and exits 1 when a block
 * did not hold what was written into it.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"Runs one workload of the suite on one allocator in this JVM and prints"
                + " 'suite: workload=.. allocator=.. threads=.. <figure>=.. peak_rss_mib=.. base_rss_mib=.. seconds=.."
                + " ops=.. checked=..'. Exit 1 if a block check fails, 2 on bad arguments."})
public final class SuiteRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workload", required = true, paramLabel = "NAME", description = "a row, e.g. alloc-testN, larson")
    String workload;

    @Option(names = "--allocator", paramLabel = "NAME", defaultValue = "hako",
            description = "hako, glibc, jemalloc, mimalloc or native:PATH (default ${DEFAULT-VALUE}; hako's options"
                    + " come from -Dhako.*)")
    String allocator;

    @Option(names = "--threads", paramLabel = "N", description = "N (default: the number of processors)")
    Integer threads;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1", description = "size factor (default ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "unmeasured passes at a tenth of the size first, same allocator (default ${DEFAULT-VALUE}:"
                    + " the JIT compiles the workload's and the allocator's code before the measured pass)")
    int warmup;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SuiteCase c;
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        AddressPeer peer;
        try {
            c = Workloads.byName(workload);
            if (n < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + n);
            if (!(scale > 0) || scale > 100) throw new IllegalArgumentException("--scale must be in (0, 100], got " + scale);
            if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
            peer = SuitePeers.create(allocator);
        } catch (IllegalArgumentException e) {
            err.println("suite run: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            out.println("[PEER] " + peer.describe());
            out.flush();
            int t = c.threads(n);
            long baseKb = ProcessMemory.rssKb();
            for (int w = 0; w < warmup; w++) c.workload().run(peer, t, scale / 10);
            CommittedSampler sampler = peer instanceof HakoPeer h && Boolean.getBoolean("hako.stats")
                    ? CommittedSampler.start(h) : null;
            Outcome o = c.workload().run(peer, t, scale);
            long peakKb = ProcessMemory.peakRssKb();
            out.println(SuiteLine.format(c.name(), peer.name(), t, c.workload().figure(), o, peakKb, baseKb));
            if (sampler != null) { // diagnostics for profiling runs; the suite's own runs keep counters off
                HakoPeer h = (HakoPeer) peer;
                out.println(h.stats().line());
                out.println(h.stats().remoteLine());
                long max = sampler.stop();
                out.println("[HAKO_PEAK] committed_kb_max=" + (max >> 10)
                        + " (sampled every 5 ms during the measured pass); gauges then: " + sampler.atMax);
            }
            return 0;
        } catch (RuntimeException | Error e) { // a block check, or the allocator refusing a free or a malloc
            out.println("suite: FAILED workload=" + c.name() + " allocator=" + peer.name() + " reason=" + e.getMessage());
            e.printStackTrace(err);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("suite: FAILED workload=" + c.name() + " allocator=" + peer.name() + " reason=interrupted");
            return 1;
        } finally {
            out.flush();
            err.flush();
            peer.close();
        }
    }

    /** Samples Hako's committed gauge during the measured pass (only with {@code -Dhako.stats=true}). */
    private static final class CommittedSampler {
        private final HakoPeer peer;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long max;
        private volatile String atMax = "-";

        private CommittedSampler(HakoPeer peer) {
            this.peer = peer;
            this.thread = Thread.ofPlatform().daemon().name("suite-committed-sampler").unstarted(this::loop);
        }

        static CommittedSampler start(HakoPeer peer) {
            CommittedSampler s = new CommittedSampler(peer);
            s.thread.start();
            return s;
        }

        private void loop() {
            while (running) {
                dev.hako.HakoStats now = peer.stats();
                if (now.committedBytes() > max) {
                    max = now.committedBytes();
                    atMax = now.line().replaceAll("^.* live_kb=", "live_kb=");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return Math.max(max, peer.committedBytes());
        }
    }
}
