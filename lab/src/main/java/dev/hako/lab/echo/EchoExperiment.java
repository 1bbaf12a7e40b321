package dev.hako.lab.echo;

import dev.hako.lab.ab.Summary;
import dev.hako.lab.ab.VariantSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * An echo experiment: what was asked (config), every run done, the machine, and whether every planned run finished.
 */
public record EchoExperiment(Config config, List<Run> runs, Map<String, String> facts, boolean complete) {

    /**
     * @param variants   the allocators, as specs ({@code netty-hako:remote=parcel} sets {@code -Dhako.remote})
     * @param heap       the Java heap of every forked JVM ({@code -Xms} = {@code -Xmx}, pre-touched), or "default"
     * @param jvmOptions extra options of every forked JVM
     * @param rerun      the command that reruns the experiment
     */
    public record Config(List<Integer> connections, List<Integer> sizes, double seconds, double warmup, int runs,
                         List<VariantSpec> variants, String heap, List<String> jvmOptions, Path out, String rerun) {
        /** The forked JVM's options: the heap's (fixed and touched at start-up), then the user's. */
        public List<String> allJvmOptions() {
            List<String> all = new ArrayList<>();
            if (!heap.equals(EchoCommand.JVM_DEFAULT_HEAP)) {
                all.add("-Xms" + heap);
                all.add("-Xmx" + heap);
                all.add("-XX:+AlwaysPreTouch");
            }
            all.addAll(jvmOptions);
            return all;
        }

        /** Every (connections, size) pair, connections outer. */
        public List<Cell> cells() {
            List<Cell> cells = new ArrayList<>();
            for (int c : connections) for (int s : sizes) cells.add(new Cell(c, s));
            return cells;
        }

        /** The index of the variant that runs {@code allocator} plainly (no options), or -1. */
        public int plain(String allocator) {
            for (int v = 0; v < variants.size(); v++) {
                if (variants.get(v).text().equals(allocator)) return v;
            }
            return -1;
        }
    }

    public record Cell(int connections, int size) {
        public String label() {
            return "c=" + connections + " size=" + size;
        }

        String slug() {
            return "c" + connections + "-s" + size;
        }
    }

    /**
     * @param sequence    1-based position in the plan
     * @param round       1-based round (each round runs every cell and variant once)
     * @param variant     index into {@link Config#variants()}
     * @param wallSeconds the JVM's life, start to exit
     * @param log         the JVM's output, relative to the report folder
     */
    public record Run(int sequence, int round, Cell cell, int variant, EchoLine line, double wallSeconds, String log) {}

    public List<Run> runs(Cell cell, int variant) {
        return runs.stream().filter(r -> r.cell().equals(cell) && r.variant() == variant).toList();
    }

    public Summary summary(Cell cell, int variant, ToDoubleFunction<EchoLine> figure) {
        return Summary.of(runs(cell, variant).stream().mapToDouble(r -> figure.applyAsDouble(r.line())).toArray());
    }

    public EchoExperiment withFacts(Map<String, String> more) {
        Map<String, String> f = new java.util.LinkedHashMap<>(facts);
        f.putAll(more);
        return new EchoExperiment(config, runs, f, complete);
    }
}
