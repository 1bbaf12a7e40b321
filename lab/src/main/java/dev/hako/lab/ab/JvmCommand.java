package dev.hako.lab.ab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of one forked benchmark JVM: this JVM's java binary and classpath (so both sides run exactly
 * this build), native access, the variant's system properties, and {@code HakoCli bench} with the cell's arguments.
 */
public final class JvmCommand {
    public static final String MAIN_CLASS = "dev.hako.lab.cli.HakoCli";
    private final String java;
    private final String classpath;

    public JvmCommand(String java, String classpath) {
        this.java = java;
        this.classpath = classpath;
    }

    /** The running JVM's binary and classpath. */
    public static JvmCommand current() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new JvmCommand(java, System.getProperty("java.class.path"));
    }

    /** The java binary forked JVMs run. */
    public String java() {
        return java;
    }

    /** The class path forked JVMs get. */
    public String classpath() {
        return classpath;
    }

    /**
     * A JVM running the lab's CLI ({@code HakoCli args}) on this build: native access, headless, {@code jvmOptions},
     * then {@code properties} as {@code -D} options.
     */
    public List<String> lab(List<String> jvmOptions, Map<String, String> properties, List<String> args) {
        return command(jvmOptions, properties, args);
    }

    /** {@link #lab(List, Map, List)} with no extra properties (used by {@code hako memory}). */
    public List<String> lab(List<String> jvmOptions, List<String> args) {
        return command(jvmOptions, Map.of(), args);
    }

    /**
     * @param recording where a profile run writes its JFR file (ignored for other kinds)
     */
    public List<String> build(ExperimentConfig config, PlannedRun run, Path recording) {
        VariantSpec spec = config.variants().get(run.variant()).spec();
        List<String> options = new ArrayList<>(config.jvmOptions());
        switch (run.kind()) {
            case TIMED -> { }
            case COUNTERS -> options.add("-Dhako.stats=true");
            case PROFILE -> options.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        List<String> args = new ArrayList<>();
        args.add("bench");
        args.addAll(config.args().argv(run.cell()));
        args.add("--allocator");
        args.add(spec.allocator());
        if (spec.build() != null) { // another build: its own jar and libraries, the same JVM binary
            return new JvmCommand(java, spec.build() + "/hako-lab.jar:" + spec.build() + "/lib/*")
                    .command(options, spec.properties(), args);
        }
        return command(options, spec.properties(), args);
    }

    /**
     * A lab JVM: this JVM's binary and classpath, native access, headless AWT, {@code jvmOptions}, the system
     * properties, then {@code HakoCli} with {@code cliArgs}.
     */
    public List<String> command(List<String> jvmOptions, Map<String, String> properties, List<String> cliArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(jvmOptions);
        for (Map.Entry<String, String> p : properties.entrySet()) {
            cmd.add("-D" + p.getKey() + "=" + p.getValue());
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(MAIN_CLASS);
        cmd.addAll(cliArgs);
        return cmd;
    }
}
