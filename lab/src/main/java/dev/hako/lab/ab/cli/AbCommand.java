package dev.hako.lab.ab.cli;

import dev.hako.lab.ab.Assessment;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.Variant;
import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.report.MarkdownReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code hako ab}: the seed's A/B experiment as one command. */
@Command(name = "ab", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"The seed's A/B experiment: B against A over a matrix of cells, every run a fresh JVM, A and B"
                + " alternating, the seed's success criteria judged and a verdict printed (GO, NO-GO (reasons) or"
                + " INCONCLUSIVE). Each cell is judged on the rank test's confidence interval for B/A (Mann-Whitney,"
                + " Hodges-Lehmann on log it/s): +5 % or better at R > 0, no regression beyond -5 % at R = 0; a cell"
                + " whose interval straddles its threshold says how many runs per side would resolve it. Writes"
                + " report.md, results.csv, cells.csv, results.json and chart.png to --out.",
                "",
                "SPEC := ALLOCATOR[:key=value,...]  with ALLOCATOR one of hako, noop, glibc, jemalloc, mimalloc,"
                + " netty-pooled, netty-adaptive, native:/path/lib.so[:MALLOC:FREE]; remote=NAME sets -Dhako.remote, hako.KEY=V"
                + " and other dotted keys set -D properties. Examples: hako:remote=push, hako:remote=mailbox2,hako.arena=8g,"
                + " netty-pooled.",
                ""},
        footer = {"", "Example (a quick look at scaled iterations):",
                "  ./hako ab --a hako:remote=push --b hako:remote=batch --threads 2 --iters 100000 --runs 4",
                "Until the cells resolve, up to 12 runs per side (4 is the fewest a 95 % interval can come from):",
                "  ./hako ab --a hako:remote=push --b hako:remote=parcel --threads 2 --iters 100000 --runs auto"
                        + " --max-runs 12",
                "An A/A run (the same spec twice) shows the machine's noise floor.",
                "Exit code 0 when the experiment ran (the verdict is in the output and results.json), 1 when a run"
                + " failed, 2 on bad arguments."})
public final class AbCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--a", required = true, paramLabel = "SPEC", converter = SpecConverter.class,
            description = "the baseline, e.g. hako:remote=push")
    VariantSpec a;

    @Option(names = "--b", required = true, paramLabel = "SPEC", converter = SpecConverter.class,
            description = "the candidate, e.g. hako:remote=mailbox2")
    VariantSpec b;

    @Mixin
    ExperimentOptions options;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig config;
        try {
            config = options.config("ab", List.of(new Variant("A", a), new Variant("B", b)),
                    List.of("--a", a.text(), "--b", b.text()));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return ExperimentSession.run(config, options.dryRun, System.out, System.err, AbCommand::summary);
    }

    /** What the terminal gets at the end: the seed's table, the matrix, the verdict. */
    static String summary(ExperimentResult result) {
        Assessment a = result.assess(0, 1);
        return "\n" + MarkdownReport.criteriaTable(a) + "\n" + MarkdownReport.abMatrix(result) + "\n"
                + a.verdict().line() + "\n";
    }
}
