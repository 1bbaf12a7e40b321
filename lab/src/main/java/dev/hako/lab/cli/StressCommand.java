package dev.hako.lab.cli;

import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.lab.stress.StressRun;
import dev.hako.lab.util.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code hako stress}: the allocator's self-check. */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {"Self-check (not a benchmark): threads allocate random sizes, fill each block with a pattern,"
                + " hand a share to other threads, verify before every free; at the end every block ever carved"
                + " must be free exactly once.",
                "Prints 'stress: ok threads=.. ops=.. remote=..% blocks=.. lost=0 corrupt=0'; exit 1 on any failure."})
public final class StressCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "worker threads (default ${DEFAULT-VALUE})", defaultValue = "4")
    int threads;

    @Option(names = "--ops", description = "operations per thread (default ${DEFAULT-VALUE}; 0 with --seconds)",
            defaultValue = "1000000")
    long ops;

    @Option(names = "--seconds", description = "run for this long instead of --ops", defaultValue = "0")
    double seconds;

    @Option(names = "--remote-pct", description = "percent of frees handed to another thread (default ${DEFAULT-VALUE})",
            defaultValue = "50")
    int remotePct;

    @Option(names = "--min", description = "smallest request in bytes (default ${DEFAULT-VALUE})", defaultValue = "16")
    long min;

    @Option(names = "--max", description = "largest request in bytes (default ${DEFAULT-VALUE})", defaultValue = "4096")
    long max;

    @Option(names = "--remote", description = "remote-free strategy (default: -Dhako.remote or parcel)")
    String remote;

    @Option(names = "--churn", description = "replace each worker's thread every N ops (0 = never; default ${DEFAULT-VALUE})",
            defaultValue = "100000")
    long churn;

    @Option(names = "--virtual", description = "run workers on virtual threads (shared heaps)")
    boolean virtual;

    @Option(names = "--slots", description = "blocks each worker holds at most (default ${DEFAULT-VALUE})",
            defaultValue = "1000")
    int slots;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    @Option(names = "--owners", description = "owner ids of the allocator (default: -Dhako.owners or 1024)")
    Integer owners;

    @Override
    public Integer call() throws Exception {
        HakoConfig.Builder config = HakoConfig.fromSystemProperties().toBuilder();
        if (remote != null) config.remote(remote);
        if (owners != null) config.maxOwners(owners).sharedHeaps(Math.min(2, owners - 1));
        long perThread = seconds > 0 ? 0 : ops;
        StressRun.Options options = new StressRun.Options(threads, perThread, seconds, remotePct, min, max, churn,
                virtual, seed, slots);
        try (HakoAllocator hako = HakoAllocator.create(config.build())) {
            System.out.println("[HAKO] " + hako.describe() + " jdk=" + Runtime.version());
            StressRun.Result r = new StressRun(hako, options).run();
            r.problems().forEach(p -> System.out.println("stress: problem: " + p));
            System.out.println(hako.stats().line());
            System.out.printf("[PROCESS_MEMORY] peak_rss_kb=%d committed_kb=%d seconds=%.2f%n", ProcessMemory.peakRssKb(),
                    hako.stats().committedBytes() >> 10, r.seconds());
            System.out.println(r.line());
            if (!r.ok()) System.out.println("stress: audit " + r.audit());
            return r.ok() ? 0 : 1;
        }
    }
}
