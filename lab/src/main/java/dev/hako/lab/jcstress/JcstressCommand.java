package dev.hako.lab.jcstress;

import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hako jcstress}: runs the module {@code jcstress} (its runnable jar, {@code jcstress/target/hako-jcstress.jar},
 * built by the launcher with the rest) in a JVM of its own, in the report folder, where jcstress writes its result
 * file and HTML report. The jar's entry point adds native access for jcstress's forked JVMs and grades the run.
 * Values are checked here, so that a bad one gets one line on stderr.
 */
@Command(name = "jcstress", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"jcstress tests of the memory orderings docs/CONCURRENCY.md and docs/remote/parcel.md claim:"
                + " the push stash head and a batch/inbox chain (release CAS / acquire exchange), the parcel hand-off"
                + " (a 64-byte copy, a whole 1 KiB parcel, the return for refill), the owner slot's hand-over and"
                + " claim race, the CacheStore and SharedHeap locks. Each test runs the production code of both sides"
                + " in many JVM configurations (interpreter, C1, C2, compiler randomizers); an outcome that shows a"
                + " broken ordering is forbidden and fails the run.",
                "On x86 (total store order) jcstress mainly checks that the compilers keep the orderings; a weakly"
                        + " ordered CPU (AArch64) also checks the hardware (docs/RESULTS.md, 'jcstress').",
                "Prints jcstress's progress, then one line per test and 'jcstress: PASSED|FAILED, N tests, ..."
                        + " forbidden F'. The HTML report is in --out/results/index.html."},
        footer = {"", "Examples:",
                "  ./hako jcstress                  # jcstress's default mode: every test in every JVM configuration",
                "  ./hako jcstress --quick          # what CI runs (about 2 minutes on 2 cores)",
                "  ./hako jcstress --tests Parcel --mode tough",
                "  ./hako jcstress --negative-controls   # the deliberately broken variants: FAILED means caught",
                "Exit code 0 when no forbidden outcome was seen, 1 when one was (or a test failed to run), 2 on bad"
                        + " arguments."})
public final class JcstressCommand implements Callable<Integer> {
    static final Set<String> MODES = Set.of("sanity", "quick", "default", "tough", "stress");
    /** The jcstress options of {@code --quick}: jcstress's quick preset, which CI runs. */
    static final List<String> QUICK = List.of("-m", "quick");
    static final String NEGATIVE_CONTROLS = "NegativeControls";
    static final String JAR = "jcstress/target/hako-jcstress.jar";

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "jcstress's quick preset (what CI runs); the default is the full mode,"
            + " jcstress's 'default' preset")
    boolean quick;

    @Option(names = "--mode", paramLabel = "MODE", description = "a jcstress preset: sanity, quick, default, tough,"
            + " stress (default: default)")
    String mode;

    @Option(names = "--tests", paramLabel = "REGEX", description = "only the tests whose name matches this regular"
            + " expression somewhere (e.g. Parcel, OwnerSlot); default: every test")
    String tests;

    @Option(names = "--negative-controls", description = "instead of the tests, the negative controls: variants"
            + " broken on purpose, to show what the tests catch on this machine (FAILED is then the expected verdict"
            + " for some; docs/RESULTS.md)")
    boolean negativeControls;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default hako-results/jcstress-<time>)")
    String out;

    @Option(names = "--jcstress-arg", paramLabel = "ARG", description = "an extra jcstress option (repeatable), e.g."
            + " --jcstress-arg=-v or --jcstress-arg=-c --jcstress-arg=2")
    List<String> extra = new ArrayList<>();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> args;
        Path dir;
        Path jar;
        try {
            args = jcstressArgs();
            dir = out != null ? Path.of(out) : ResultsFolder.fresh("jcstress");
            jar = Path.of(System.getProperty("hako.home", "."), JAR).toAbsolutePath();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("jcstress: " + e.getMessage() + " (./hako jcstress --help)");
            return 2;
        }
        if (!Files.isRegularFile(jar)) {
            spec.commandLine().getErr().println("jcstress: " + jar + " is missing: build it with ./hako (or mvn"
                    + " package)");
            return 1;
        }
        Files.createDirectories(dir);
        // No JVM options: jcstress would pass them on to its forks; the jar's manifest enables native access here
        // and its entry point adds it for the forks.
        List<String> command = new ArrayList<>(List.of(JvmCommand.current().java(), "-jar", jar.toString()));
        command.addAll(args);
        System.err.println("jcstress: " + String.join(" ", args) + " (report: " + dir.toAbsolutePath() + ")");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        return process.waitFor();
    }

    /**
     * The jcstress test selector: the normal tests (or only the negative controls), narrowed by {@code tests} if
     * given. jcstress looks for the expression anywhere in a test's name.
     */
    static String filter(boolean negativeControls, String tests) {
        String side = negativeControls ? "^(?=.*" + NEGATIVE_CONTROLS + ")" : "^(?!.*" + NEGATIVE_CONTROLS + ")";
        return side + (tests == null ? ".*" : ".*(?:" + tests + ")");
    }

    /** The options the jar gets. @throws IllegalArgumentException for a bad value, in one line */
    List<String> jcstressArgs() {
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("unknown option or argument '" + unmatched.getFirst() + "'");
        }
        if (quick && mode != null) throw new IllegalArgumentException("--quick and --mode exclude each other");
        if (mode != null && !MODES.contains(mode)) {
            throw new IllegalArgumentException("--mode must be one of sanity, quick, default, tough, stress, not '"
                    + mode + "'");
        }
        if (tests != null) {
            try {
                java.util.regex.Pattern.compile(tests);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("--tests is not a regular expression: " + e.getDescription());
            }
        }
        if (out != null && out.isBlank()) throw new IllegalArgumentException("--out must name a folder");
        List<String> args = new ArrayList<>(quick ? QUICK : List.of("-m", mode != null ? mode : "default"));
        args.addAll(List.of("-t", filter(negativeControls, tests)));
        args.addAll(extra);
        return args;
    }
}
