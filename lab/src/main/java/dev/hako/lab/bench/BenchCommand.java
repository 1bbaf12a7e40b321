package dev.hako.lab.bench;

import dev.hako.HakoStats;
import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.peers.NettyPeer;
import dev.hako.lab.peers.Peer;
import dev.hako.lab.peers.Peers;
import dev.hako.lab.util.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hako bench}: the seed's {@code bench_random_mixed_mt_remote_malloc}, on any peer. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"The seed's benchmark (bench_random_mixed_mt_remote_malloc) with identical semantics: per-thread"
                + " LCG, ring i -> (i+1) mod T, the same op counting and timing window. The blocks are never written.",
                "Prints [BENCH_ARGS], [HAKO], [PEER], then for the measured run the seed's result line,"
                        + " [EFFECTIVE_REMOTE], [ITERS], [ALLOC_FAILURES], [PROCESS_MEMORY] and, for hako with"
                        + " -Dhako.stats=true (HAKO_JAVA_OPTS), [HAKO_STATS] and [REMOTE_STATS]."
                        + " Warm-up runs report on stderr. Exit 2 on bad arguments.",
                "iters/s (T*iters/time) is the allocator-independent figure; a cell is dirty when"
                        + " fallback_rate > 0.10 %%.",
                "Allocators:", Peers.HELP},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the run completed", "1:the allocator failed", "2:bad arguments"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<threads>", description = "worker threads T")
    int threads;

    @Parameters(index = "1", paramLabel = "<iters>", description = "iterations per thread")
    int iters;

    @Parameters(index = "2", paramLabel = "<ws>", description = "pointer slots per thread (seed: 400)")
    int ws;

    @Parameters(index = "3", paramLabel = "<min>", description = "smallest size in bytes (seed: 16)")
    int min;

    @Parameters(index = "4", paramLabel = "<max>", description = "largest size in bytes (seed: 2048)")
    int max;

    @Parameters(index = "5", paramLabel = "<remote_pct>", description = "percent of frees sent to thread i+1")
    int remotePct;

    @Parameters(index = "6", arity = "0..1", paramLabel = "[ring_slots]",
            description = "capacity of each ring (default 65536; seed runs 262144)")
    int ringSlots = BenchArgs.DEFAULT_RING_SLOTS;

    @Option(names = "--allocator", paramLabel = "NAME", description = "peer to run (default ${DEFAULT-VALUE})",
            defaultValue = Peers.DEFAULT)
    String allocator;

    @Option(names = "--remote", paramLabel = "NAME",
            description = "Hako's remote-free strategy (same as -Dhako.remote; hako only)")
    String remote;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
            description = "unmeasured full runs in this JVM before the measured one (default ${DEFAULT-VALUE};"
                    + " one is not enough for C2 on this loop)")
    int warmup;

    @Option(names = "--fresh", description = "a new allocator instance for every run (hako, netty: cold pages and"
            + " caches in the measured run); default: one instance, warmed up by the warm-up runs, like the"
            + " process-wide native libraries")
    boolean fresh;

    @Option(names = "--json", paramLabel = "FILE", description = "write every figure of the measured run as JSON")
    Path json;

    @Override
    public Integer call() throws IOException {
        BenchArgs args;
        try {
            args = new BenchArgs(threads, iters, ws, min, max, remotePct, ringSlots);
            if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, was " + warmup);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Peer peer = createPeer();
        try {
            String remoteName = peer instanceof HakoPeer h ? h.remote() : peer instanceof NettyPeer n ? n.remote() : "-";
            out.println(args.line());
            out.println(BenchReport.hakoLine(peer.name(), remoteName));
            out.println(BenchReport.peerLine(peer.name(), peer.describe()));
            out.flush();

            List<BenchResult> warmups = new ArrayList<>();
            for (int w = 1; w <= warmup; w++) {
                warmups.add(BenchRun.run(args, peer));
                err.println(BenchReport.warmupLine(w, warmup, warmups.getLast()));
                err.flush();
                if (fresh) {
                    peer.close();
                    peer = createPeer();
                }
            }

            boolean stats = peer instanceof HakoPeer && Boolean.getBoolean("hako.stats");
            HakoStats before = stats ? ((HakoPeer) peer).stats() : null;
            HakoStats[] window = new HakoStats[1];
            Peer measured = peer;
            BenchResult result = BenchRun.run(args, peer,
                    () -> window[0] = stats ? BenchReport.window(before, ((HakoPeer) measured).stats()) : null);

            BenchReport report = new BenchReport(peer.name(), remoteName, peer.describe(), result, warmups,
                    ProcessMemory.peakRssKb(), window[0]);
            report.resultLines().forEach(out::println);
            out.flush();
            if (json != null) {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(json, report.json() + System.lineSeparator());
            }
            return 0;
        } finally {
            peer.close();
        }
    }

    private Peer createPeer() {
        try {
            return Peers.create(allocator, remote);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    private ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), "bench: " + message + System.lineSeparator()
                + BenchArgs.USAGE);
    }
}
