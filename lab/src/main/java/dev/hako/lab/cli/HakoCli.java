package dev.hako.lab.cli;

import dev.hako.lab.ab.cli.AbCommand;
import dev.hako.lab.ab.cli.CompareCommand;
import dev.hako.lab.bench.BenchCommand;
import dev.hako.lab.jmh.JmhCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hako} command line: the lab's entry point. */
@Command(name = "hako", mixinStandardHelpOptions = true, version = "hako 0.1.0",
        description = "Hako lab: a native-memory allocator for the JVM, its benchmarks and A/B experiments.",
        subcommands = {StressCommand.class, BenchCommand.class, JmhCommand.class, AbCommand.class,
                CompareCommand.class})
public final class HakoCli implements Runnable {
    public static void main(String[] args) {
        int code = new CommandLine(new HakoCli()).execute(args.length == 0 ? defaultJob() : args);
        System.exit(code);
    }

    /** The main job README advertises, run when {@code hako} gets no arguments. */
    static String[] defaultJob() {
        return new String[] {"bench", "2", "2500000", "400", "16", "2048", "90", "262144"};
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
