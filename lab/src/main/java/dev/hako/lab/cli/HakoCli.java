package dev.hako.lab.cli;

import dev.hako.lab.ab.cli.AbCommand;
import dev.hako.lab.ab.cli.CompareCommand;
import dev.hako.lab.arena.ArenaCommand;
import dev.hako.lab.bench.BenchCommand;
import dev.hako.lab.echo.EchoCommand;
import dev.hako.lab.jcstress.JcstressCommand;
import dev.hako.lab.jfr.JfrCommand;
import dev.hako.lab.jmh.JmhCommand;
import dev.hako.lab.memory.MemoryCommand;
import dev.hako.lab.suite.SuiteCommand;
import dev.hako.lab.vthreads.VthreadsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hako} command line: the lab's entry point. */
@Command(name = "hako", mixinStandardHelpOptions = true, version = "hako 0.1.0",
        description = "Hako lab: a native-memory allocator for the JVM, its benchmarks and A/B experiments.",
        subcommands = {StressCommand.class, BenchCommand.class, JmhCommand.class, AbCommand.class,
                CompareCommand.class, EchoCommand.class, MemoryCommand.class, SuiteCommand.class,
                JfrCommand.class, ArenaCommand.class, JcstressCommand.class, VthreadsCommand.class})
public final class HakoCli implements Runnable {
    public static void main(String[] args) {
        int code = new CommandLine(new HakoCli()).execute(args.length == 0 ? defaultJob() : args);
        System.exit(code);
    }

    /**
     * The main job README advertises, run when {@code hako} gets no arguments: the seed's A/B (push against the
     * seed's S147-2, mailbox2) at its target and regression cells, scaled to about two minutes on 2 cores.
     */
    static String[] defaultJob() {
        return new String[] {"ab", "--a", "hako:remote=push", "--b", "hako:remote=mailbox2", "--threads", "32",
                "--remote", "0,90", "--iters", "100000", "--runs", "4"};
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
