package dev.hako;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 item 8: the Java heap nearly full while an owner drains millions of remote frees. At {@code c84eaf7} the
 * drain grew a bin until {@code OutOfMemoryError} and 1.8 M blocks were held by nobody. Runs the program in
 * a child JVM with {@code -Xmx64m}: 6 M blocks of 16 B whose addresses fill 48 MiB of that heap, freed by another
 * thread, then one {@code malloc} by the owner; it must succeed and the audit must balance.
 */
class JavaHeapExhaustionTest {
    static final int BLOCKS = 6_000_000;

    @ParameterizedTest
    @ValueSource(strings = {"push", "parcel"})
    void aDrainWithTheJavaHeapNearlyFullShouldLoseNothing(String remote) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath(), Program.class.getName(), remote));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = child.waitFor(180, TimeUnit.SECONDS);
        if (!ended) child.destroyForcibly();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "the child did not finish: " + out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("balanced live=1 carved>=" + BLOCKS), out);
    }

    /** Everything this JVM sees, on the class path of the child (Hako's module read as a plain jar there). */
    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String key : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(key);
            if (v != null && !v.isEmpty()) parts.add(v);
        }
        return String.join(File.pathSeparator, parts);
    }

    /** The program. */
    public static final class Program {
        public static void main(String[] args) throws Exception {
            HakoConfig config = HakoConfig.builder().remote(args[0]).arenaBytes(1L << 30).maxOwners(32).build();
            try (HakoAllocator hako = HakoAllocator.create(config)) {
                long[] blocks = new long[BLOCKS]; // 48 MiB of the 64 MiB heap
                for (int i = 0; i < BLOCKS; i++) blocks[i] = hako.malloc(16);
                Thread freer = Thread.ofPlatform().start(() -> {
                    for (long b : blocks) hako.free(b);
                    hako.heap().close(); // ships what the strategy buffers
                });
                freer.join();
                long a = hako.malloc(16); // drains the remote frees with the Java heap nearly full
                AuditReport r = hako.audit();
                if (!r.balanced(1) || r.carvedBlocks() < BLOCKS) {
                    System.out.println("unbalanced: " + r);
                    System.exit(1);
                }
                hako.free(a);
                System.out.println("balanced live=1 carved>=" + BLOCKS + " (" + r.carvedBlocks() + ")");
                if (blocks.length != BLOCKS) throw new AssertionError(); // keeps the array alive through the drain
            }
        }
    }
}
