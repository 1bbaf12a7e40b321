package dev.hako.lab.jmh;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hako jmh [JMH args]}: JMH's own command line ({@code org.openjdk.jmh.Main}) over the lab's benchmarks.
 * Forked JVMs inherit this JVM's options (the launcher's {@code --enable-native-access=ALL-UNNAMED} and
 * {@code HAKO_JAVA_OPTS}), and the class path, which holds the generated {@code META-INF/BenchmarkList}.
 */
@Command(name = "jmh", description = {"Runs the lab's JMH benchmarks: every argument goes to JMH"
        + " (e.g. 'hako jmh MallocFreePair -p peer=hako', 'hako jmh -l', 'hako jmh -h').",
        "Benchmarks: MallocFreePair (same-thread malloc+free, address peers), HakoStaticPair (Hako.malloc/free),"
                + " ObjectPair (netty peers), RemoteFreePair and ObjectRemotePair (producer allocates, consumer"
                + " frees), RemoteFanOut (remote frees spread over D owners),"
                + " ArenaAllocClose (HakoArena against the JDK's arenas: allocate N structs, close)."})
public final class JmhCommand implements Callable<Integer> {
    @Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
        return 0;
    }
}
