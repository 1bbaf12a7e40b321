package dev.hako.lab.ab.cli;

import dev.hako.lab.ab.Assessment;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.Variant;
import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.report.MarkdownReport;
import dev.hako.lab.report.NoopFloor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code hako compare}: the A/B method for N variants. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"The A/B method for N variants (every strategy, or Hako against its peers): every run a fresh"
                + " JVM, variants alternating, per cell medians, spreads, dirty cells marked, and the seed's criteria for"
                + " each variant against the first one that is not noop. With noop among the variants, also each allocator's cost per op over"
                + " the noop floor (1/ops - 1/ops_noop, ns) and peak RSS per cell: the table docs/RESULTS.md carries.",
                "", "SPEC: as for ab (./hako ab --help).", ""},
        footer = {"", "The RESULTS.md table (every allocator at T=1,2,4,32 and R=0,90):",
                "  ./hako compare noop hako glibc jemalloc mimalloc netty-pooled netty-adaptive --threads 1,2,4,32"
                        + " --remote 0,90",
                "Exit code 0 when the experiment ran, 1 when a run failed, 2 on bad arguments."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "SPEC", converter = SpecConverter.class,
            description = "two or more variants; the first that is not noop is the baseline")
    List<VariantSpec> specs;

    @Mixin
    ExperimentOptions options;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig config;
        try {
            Set<String> seen = new HashSet<>();
            List<Variant> variants = new ArrayList<>();
            for (VariantSpec s : specs) {
                if (!seen.add(s.text())) throw new IllegalArgumentException("variant '" + s + "' given twice");
                variants.add(new Variant(s.text(), s));
            }
            config = options.config("compare", variants, specs.stream().map(VariantSpec::text).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return ExperimentSession.run(config, options.dryRun, System.out, System.err, CompareCommand::summary);
    }

    static String summary(ExperimentResult result) {
        StringBuilder sb = new StringBuilder("\n");
        OptionalInt noop = NoopFloor.noopIndex(result.config().variants());
        if (noop.isPresent()) sb.append(NoopFloor.tables(result, noop.getAsInt())).append('\n');
        List<Variant> vs = result.config().variants();
        int base = result.config().baseline();
        for (int v : result.config().candidates()) {
            Assessment a = result.assess(base, v);
            sb.append(vs.get(v).spec()).append(" against ").append(vs.get(base).spec()).append(": ")
                    .append(a.verdict().line()).append('\n');
        }
        return sb.toString();
    }
}
