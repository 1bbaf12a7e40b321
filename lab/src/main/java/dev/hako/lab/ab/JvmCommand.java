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
     * @param recording where a profile run writes its JFR file (ignored for other kinds)
     */
    public List<String> build(ExperimentConfig config, PlannedRun run, Path recording) {
        VariantSpec spec = config.variants().get(run.variant()).spec();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(config.jvmOptions());
        for (Map.Entry<String, String> p : spec.properties().entrySet()) {
            cmd.add("-D" + p.getKey() + "=" + p.getValue());
        }
        switch (run.kind()) {
            case TIMED -> { }
            case COUNTERS -> cmd.add("-Dhako.stats=true");
            case PROFILE -> cmd.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(MAIN_CLASS);
        cmd.add("bench");
        cmd.addAll(config.args().argv(run.cell()));
        cmd.add("--allocator");
        cmd.add(spec.allocator());
        return cmd;
    }
}
