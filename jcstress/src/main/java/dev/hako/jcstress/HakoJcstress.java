package dev.hako.jcstress;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;

import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jcstress jar's entry point: jcstress's own command line ({@code org.openjdk.jcstress.Main}'s options), with
 * what Hako's tests need added, then one verdict.
 * <ul>
 *   <li>Every forked JVM gets {@code --enable-native-access=ALL-UNNAMED} (with {@code -jvmArgsPrepend}, unless
 *       this JVM has it: jcstress passes its own JVM options on): the tests map memory through the FFM
 *       {@code Linker}. This JVM needs no flag when started with {@code -jar} (the manifest enables it).</li>
 *   <li>Without {@code -t}, every test but the negative controls runs ({@link #NORMAL_TESTS}).</li>
 *   <li>After the run, the result file jcstress wrote (in the working directory) is read back and summed up:
 *       tests, runs (test x JVM configuration), samples, and the samples of each expectation. The exit code is 0
 *       only if tests ran and none saw a forbidden or unknown outcome or failed to run; jcstress itself exits 0 in
 *       some of those cases ("No matching tests") and with a stack trace in others.</li>
 * </ul>
 */
public final class HakoJcstress {
    private HakoJcstress() {}

    /** Every test except the deliberately broken ones (their class names hold {@code NegativeControls}). */
    public static final String NORMAL_TESTS = "^(?!.*NegativeControls).*";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("-t")) all.addAll(List.of("-t", NORMAL_TESTS));
        // jcstress gives its forks this JVM's own options too: add the flag only if this JVM was not given it.
        if (!ManagementFactory.getRuntimeMXBean().getInputArguments().contains(NATIVE_ACCESS)) {
            all.addAll(List.of("-jvmArgsPrepend", NATIVE_ACCESS));
        }
        Options options = new Options(all.toArray(String[]::new));
        if (!options.parse()) System.exit(2); // jcstress printed the error or its help
        JCStress jcstress = new JCStress(options);
        if (options.shouldList()) {
            jcstress.getTests().forEach(System.out::println);
            return;
        }
        try {
            jcstress.run();
        } catch (AssertionError failures) {
            // jcstress's own report of failed tests, thrown after it printed them; graded below
        }
        System.exit(grade(options.getResultFile(), (System.nanoTime() - start) / 1e9, System.out));
    }

    /** Prints one line per test and a total; returns the exit code. */
    static int grade(String resultFile, double seconds, PrintStream out) throws Exception {
        if (!new File(resultFile).isFile()) {
            out.println("jcstress: FAILED, no results (" + resultFile + " missing): no test ran");
            return 1;
        }
        InProcessCollector collected = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile, collected);
        reader.dump();
        reader.close();
        Map<String, TestTotals> byTest = new TreeMap<>();
        for (TestResult result : ReportUtils.mergedByConfig(collected.getTestResults())) {
            byTest.computeIfAbsent(result.getName(), TestTotals::new).add(result);
        }
        Totals all = new Totals();
        out.println();
        out.println("HAKO JCSTRESS SUMMARY (samples per expectation; forbidden includes unknown outcomes)");
        for (TestTotals test : byTest.values()) {
            out.println(test.line());
            all.add(test);
        }
        boolean passed = !byTest.isEmpty() && all.failedTests == 0;
        out.printf(Locale.ROOT, "jcstress: %s, %d tests (%d failed), %d runs (%d errors), %,d samples: acceptable"
                        + " %,d, interesting %,d, forbidden %,d; %.0f s%n", passed ? "PASSED" : "FAILED",
                byTest.size(), all.failedTests, all.runs, all.errors, all.samples, all.acceptable, all.interesting,
                all.forbidden, seconds);
        return passed ? 0 : 1;
    }

    /** Sums over runs (or tests). */
    static class Totals {
        long runs, errors, samples, acceptable, interesting, forbidden;
        int failedTests;

        void add(Totals other) {
            runs += other.runs;
            errors += other.errors;
            samples += other.samples;
            acceptable += other.acceptable;
            interesting += other.interesting;
            forbidden += other.forbidden;
            failedTests += other.failedTests;
        }
    }

    /** One test's runs (one per JVM configuration), and the samples of each outcome. */
    static final class TestTotals extends Totals {
        final String name;
        final Map<String, Long> outcomes = new TreeMap<>();
        boolean failed;

        TestTotals(String name) {
            this.name = name;
        }

        void add(TestResult result) {
            runs++;
            if (result.status() != Status.NORMAL) {
                errors++;
                failed = true;
            }
            samples += result.getTotalCount();
            TestGrading grading = result.grading();
            if (!grading.isPassed) failed = true;
            for (GradingResult g : grading.gradingResults.values()) {
                if (g.count == 0) continue;
                outcomes.merge(g.id + (g.expect == Expect.ACCEPTABLE ? "" : " " + g.expect), g.count, Long::sum);
                switch (g.expect) {
                    case ACCEPTABLE -> acceptable += g.count;
                    case ACCEPTABLE_INTERESTING -> interesting += g.count;
                    default -> forbidden += g.count;
                }
            }
            failedTests = failed ? 1 : 0;
        }

        String line() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %-6s %s: %d runs%s, %,d samples:",
                    failed ? "FAILED" : "ok", name, runs, errors > 0 ? " (" + errors + " errors)" : "", samples));
            outcomes.forEach((id, n) -> s.append(String.format(Locale.ROOT, " [%s] %,d", id, n)));
            return s.toString();
        }
    }
}
