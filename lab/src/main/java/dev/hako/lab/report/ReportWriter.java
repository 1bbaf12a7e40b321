package dev.hako.lab.report;

import dev.hako.lab.ab.ExperimentResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes an experiment's report folder: report.md, results.csv, cells.csv, results.json and chart.png. */
public final class ReportWriter {
    private ReportWriter() {}

    /** @return the files written */
    public static List<Path> write(ExperimentResult result) throws IOException {
        Path out = result.config().out();
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        files.add(text(out.resolve("results.csv"), CsvReport.render(result)));
        files.add(text(out.resolve("cells.csv"), CellsCsvReport.render(result)));
        files.add(text(out.resolve("results.json"), JsonReport.render(result)));
        if (!result.runs().isEmpty()) {
            Path png = out.resolve("chart.png");
            ChartReport.write(result, png);
            files.add(png);
        }
        files.add(text(out.resolve("report.md"), MarkdownReport.render(result)));
        return files;
    }

    private static Path text(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
