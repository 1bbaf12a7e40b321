package dev.hako.lab.suite;

import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.cli.HakoCli;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A {@link RunExecutor} that runs {@code hako suite run ...} in this JVM instead of forking one, so that tests can
 * drive the whole suite quickly; {@code edit} may rewrite the output (to simulate a failing run).
 */
final class InProcessSuite implements RunExecutor {
    private final UnaryOperator<String> edit;
    int calls;

    InProcessSuite(UnaryOperator<String> edit) {
        this.edit = edit;
    }

    @Override
    public Execution execute(List<String> command, Path log, long timeoutSeconds) throws IOException {
        calls++;
        List<String> args = command.subList(command.indexOf(dev.hako.lab.ab.JvmCommand.MAIN_CLASS) + 1, command.size());
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        CommandLine cl = new CommandLine(new HakoCli());
        cl.setOut(w);
        cl.setErr(w);
        long start = System.nanoTime();
        int code = cl.execute(args.toArray(String[]::new));
        double wall = (System.nanoTime() - start) / 1e9;
        String output = edit.apply(text.toString());
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, output);
        boolean failed = output.contains("suite: FAILED");
        return new Execution(failed && code == 0 ? 1 : code, output, wall, false);
    }
}
