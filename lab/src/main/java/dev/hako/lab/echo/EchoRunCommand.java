package dev.hako.lab.echo;

import dev.hako.lab.peers.NettyPeer;
import dev.hako.lab.peers.Peer;
import dev.hako.lab.peers.Peers;
import dev.hako.lab.util.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hako echo run}: one echo measurement in this JVM, what {@code hako echo} forks for each run. */
@Command(name = "run", hidden = true, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"One echo measurement in this JVM (what 'hako echo' forks): prints [ECHO] and the echo: line."})
public final class EchoRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--allocator", required = true, paramLabel = "NAME",
            description = "netty-pooled, netty-adaptive or netty-hako (-Dhako.* pass through)")
    String allocator;

    @Option(names = "--label", paramLabel = "TEXT", description = "the allocator's name in the echo: line"
            + " (default: --allocator)")
    String label;

    @Option(names = "--connections", defaultValue = "16", description = "client connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--size", defaultValue = "4096", description = "message size in bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--seconds", defaultValue = "5", description = "measured seconds (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "2", description = "warm-up seconds (default ${DEFAULT-VALUE})")
    double warmup;

    @Override
    public Integer call() throws Exception {
        try {
            EchoCommand.checkRange("--connections", connections, 1, EchoCommand.MAX_CONNECTIONS);
            EchoCommand.checkRange("--size", size, 1, EchoCommand.MAX_SIZE);
            EchoCommand.checkSeconds(seconds, warmup);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "echo run: " + e.getMessage());
        }
        Peer peer;
        try {
            peer = Peers.create(allocator, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "echo run: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (!(peer instanceof NettyPeer netty)) {
                throw new ParameterException(spec.commandLine(), "echo run: '" + allocator + "' is not a Netty"
                        + " allocator; echo runs " + String.join(", ", EchoCommand.ALLOCATORS));
            }
            String name = label != null ? label : allocator;
            out.printf(Locale.ROOT, "[ECHO] allocator=%s remote=%s connections=%d size=%d warmup_s=%s seconds=%s"
                            + " server_loops=%d server_workers=%d client_loops=%d detail=%s%n", name, netty.remote(),
                    connections, size, warmup, seconds, EchoPipeline.SERVER_LOOPS, EchoPipeline.SERVER_WORKERS,
                    EchoPipeline.CLIENT_LOOPS, netty.describe());
            out.flush();
            EchoPipeline.Result r = EchoPipeline.run(netty.allocator(), connections, size, warmup, seconds);
            out.println(EchoLine.of(name, connections, size, r, ProcessMemory.peakRssKb()).format());
            out.flush();
            return 0;
        } finally {
            peer.close();
        }
    }
}
