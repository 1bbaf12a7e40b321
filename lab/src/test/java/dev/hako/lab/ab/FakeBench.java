package dev.hako.lab.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A {@link RunExecutor} that answers like the bench without starting a JVM: it reads the cell and variant from the
 * command line and prints fixture output whose it/s comes from {@code speed}.
 */
final class FakeBench implements RunExecutor {
    final ToDoubleFunction<List<String>> speed;
    final Path recording;
    String remoteOverride;
    int calls;
    int failAtCall = -1;

    /**
     * @param speed     M it/s for a command
     * @param recording a JFR file copied where profile runs are told to write theirs
     */
    FakeBench(ToDoubleFunction<List<String>> speed, Path recording) {
        this.speed = speed;
        this.recording = recording;
    }

    static String remoteOf(List<String> cmd) {
        return cmd.stream().filter(a -> a.startsWith("-Dhako.remote=")).map(a -> a.substring(14)).findFirst().orElse("push");
    }

    @Override
    public Execution execute(List<String> cmd, Path log, long timeoutSeconds) throws IOException {
        calls++;
        int bench = cmd.indexOf("bench");
        int threads = Integer.parseInt(cmd.get(bench + 1));
        long iters = Long.parseLong(cmd.get(bench + 2));
        int remote = Integer.parseInt(cmd.get(bench + 6));
        String allocator = cmd.get(cmd.indexOf("--allocator") + 1);
        boolean stats = cmd.contains("-Dhako.stats=true");
        cmd.stream().filter(a -> a.startsWith("-XX:StartFlightRecording=filename=")).findFirst().ifPresent(a -> {
            String path = a.substring("-XX:StartFlightRecording=filename=".length(), a.indexOf(','));
            try {
                Files.copy(recording, Path.of(path));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        double seconds = threads * (double) iters / (speed.applyAsDouble(cmd) * 1e6);
        String strategy = remoteOverride != null ? remoteOverride : remoteOf(cmd);
        String text = Fixtures.output(allocator, strategy, threads, iters, remote, seconds, 3L * threads * iters, 0,
                stats ? (strategy.equals("push") ? 1.0 : 0.1) : -1);
        Files.createDirectories(log.getParent());
        Files.writeString(log, text);
        return new Execution(calls == failAtCall ? 1 : 0, text, 0.01, false);
    }
}
