package dev.hako.lab.ab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Starts one benchmark JVM and waits for it. A seam so that tests can feed the lab fixed output. */
public interface RunExecutor {
    /**
     * Runs {@code command} with its output (stdout and stderr) written to {@code log}.
     *
     * @param timeoutSeconds kill the process after this long (0 = wait forever)
     */
    Execution execute(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException;

    /**
     * @param exitCode    the process's exit code (-1 when killed after the time-out)
     * @param output      everything it printed
     * @param wallSeconds from start to exit
     * @param timedOut    whether it was killed after the time-out
     */
    record Execution(int exitCode, String output, double wallSeconds, boolean timedOut) {}
}
