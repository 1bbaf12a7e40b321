package dev.hako.lab.report;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where a lab command writes its report when it is given no {@code --out}. */
public final class ResultsFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ResultsFolder() {}

    /** {@code hako-results/COMMAND-yyyyMMdd-HHmmss}, stamped now. */
    public static Path fresh(String command) {
        return Path.of("hako-results", command + "-" + LocalDateTime.now().format(STAMP));
    }
}
