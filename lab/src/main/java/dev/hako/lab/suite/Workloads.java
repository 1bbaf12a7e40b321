package dev.hako.lab.suite;

import dev.hako.lab.suite.SuiteCase.Threads;
import dev.hako.lab.suite.workload.AllocTest;
import dev.hako.lab.suite.workload.CacheScratch;
import dev.hako.lab.suite.workload.CacheThrash;
import dev.hako.lab.suite.workload.GlibcSimple;
import dev.hako.lab.suite.workload.GlibcThread;
import dev.hako.lab.suite.workload.Larson;
import dev.hako.lab.suite.workload.MStress;
import dev.hako.lab.suite.workload.RpTest;
import dev.hako.lab.suite.workload.Sh6Bench;
import dev.hako.lab.suite.workload.Sh8Bench;
import dev.hako.lab.suite.workload.XmallocTest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The suite's workloads and rows, in report order. */
public final class Workloads {
    private Workloads() {}

    private static final Workload ALLOC_TEST = new AllocTest();
    private static final Workload CACHE_SCRATCH = new CacheScratch();
    private static final Workload CACHE_THRASH = new CacheThrash();

    private static final List<SuiteCase> CASES = List.of(
            new SuiteCase("alloc-test1", ALLOC_TEST, Threads.ONE),
            new SuiteCase("alloc-testN", ALLOC_TEST, Threads.N),
            new SuiteCase("cache-scratch1", CACHE_SCRATCH, Threads.ONE),
            new SuiteCase("cache-scratchN", CACHE_SCRATCH, Threads.N),
            new SuiteCase("cache-thrash1", CACHE_THRASH, Threads.ONE),
            new SuiteCase("cache-thrashN", CACHE_THRASH, Threads.N),
            new SuiteCase(GlibcSimple.NAME, new GlibcSimple(), Threads.ONE),
            new SuiteCase(GlibcThread.NAME, new GlibcThread(), Threads.N),
            new SuiteCase(Larson.NAME, new Larson(), Threads.N),
            new SuiteCase(MStress.NAME, new MStress(), Threads.N),
            new SuiteCase(RpTest.NAME, new RpTest(), Threads.N),
            new SuiteCase(Sh6Bench.NAME, new Sh6Bench(), Threads.TWICE_N),
            new SuiteCase(Sh8Bench.NAME, new Sh8Bench(), Threads.TWICE_N),
            new SuiteCase(XmallocTest.NAME, new XmallocTest(), Threads.N));

    /** Every row, in report order. */
    public static List<SuiteCase> cases() {
        return CASES;
    }

    /** Every workload (family), in report order. */
    public static List<Workload> workloads() {
        Set<Workload> seen = new LinkedHashSet<>();
        for (SuiteCase c : CASES) seen.add(c.workload());
        return List.copyOf(seen);
    }

    /** The row called {@code name}. @throws IllegalArgumentException naming the known rows */
    public static SuiteCase byName(String name) {
        for (SuiteCase c : CASES) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + known());
    }

    /**
     * The rows named by {@code names}, in report order: a row's name ({@code alloc-testN}) or a workload's, which
     * selects all its rows ({@code alloc-test}); {@code all} selects every row.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static List<SuiteCase> select(List<String> names) {
        Set<SuiteCase> chosen = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.strip();
            if (name.isEmpty()) continue;
            if (name.equals("all")) {
                chosen.addAll(CASES);
                continue;
            }
            List<SuiteCase> matched = CASES.stream()
                    .filter(c -> c.name().equals(name) || c.workload().name().equals(name)).toList();
            if (matched.isEmpty()) throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + known());
            chosen.addAll(matched);
        }
        if (chosen.isEmpty()) throw new IllegalArgumentException("no workload selected; known: " + known());
        List<SuiteCase> ordered = new ArrayList<>();
        for (SuiteCase c : CASES) if (chosen.contains(c)) ordered.add(c);
        return ordered;
    }

    private static String known() {
        List<String> names = new ArrayList<>();
        for (Workload w : workloads()) names.add(w.name());
        for (SuiteCase c : CASES) if (!names.contains(c.name())) names.add(c.name());
        return String.join(", ", names) + ", all";
    }
}
