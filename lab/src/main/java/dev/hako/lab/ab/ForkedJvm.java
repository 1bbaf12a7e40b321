package dev.hako.lab.ab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a benchmark JVM as a child process, its output going straight to the log file (no pipe to drain). */
public final class ForkedJvm implements RunExecutor {
    @Override
    public Execution execute(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        boolean timedOut = false;
        try {
            if (timeoutSeconds > 0) {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    timedOut = true;
                    p.destroyForcibly().waitFor();
                }
            } else {
                p.waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        return new Execution(timedOut ? -1 : p.exitValue(), output, wall, timedOut);
    }
}
