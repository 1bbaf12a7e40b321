package dev.hako.lab.report;

import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.SideStats;
import dev.hako.lab.ab.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Each allocator's own cost per operation: the time per op above the {@code noop} allocator's (a bump pointer that
 * never frees), {@code 1/ops - 1/ops_noop} in ns, from the cells' median ops/s. The harness costs about 9 ns per
 * iteration by itself (calibration.md), so raw ops/s above ~100 M mostly measure the harness; this takes it out.
 */
public final class NoopFloor {
    public static final String NOOP = "noop";

    private NoopFloor() {}

    /** The index of the first plain {@code noop} variant, if any. */
    public static OptionalInt noopIndex(List<Variant> variants) {
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).spec().allocator().equals(NOOP)) return OptionalInt.of(i);
        }
        return OptionalInt.empty();
    }

    /** ns per op above the floor; NaN when either median is missing. */
    public static double costNs(SideStats variant, SideStats noop) {
        double v = variant.ops().median(), n = noop.ops().median();
        if (!(v > 0) || !(n > 0)) return Double.NaN;
        return 1e9 / v - 1e9 / n;
    }

    /**
     * The table of every variant's cost over the floor and its peak RSS, cells as columns; {@code *} marks a cell
     * dirty on the variant's or the floor's side. The noop row gives the floor itself (ns per op).
     */
    public static String tables(ExperimentResult result, int noop) {
        List<Cell> cells = result.config().cells();
        List<String> head = new ArrayList<>(List.of("allocator"));
        cells.forEach(c -> head.add(c.label()));
        MarkdownTable cost = new MarkdownTable(head);
        MarkdownTable rss = new MarkdownTable(head);
        List<Variant> variants = result.config().variants();
        for (int v = 0; v < variants.size(); v++) {
            List<String> costRow = new ArrayList<>(List.of(variants.get(v).spec().text()));
            List<String> rssRow = new ArrayList<>(List.of(variants.get(v).spec().text()));
            for (Cell c : cells) {
                SideStats s = result.side(c, v), f = result.side(c, noop);
                String mark = s.dirty() || f.dirty() ? "*" : "";
                double ns = v == noop ? 1e9 / f.ops().median() : costNs(s, f);
                costRow.add((v == noop ? "floor " : "") + Fmt.fixed(ns, 2) + mark);
                rssRow.add(Fmt.mib(s.peakRssKb()) + (s.dirty() ? "*" : ""));
            }
            cost.row(costRow);
            rss.row(rssRow);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Cost per op over the `noop` floor, ns (`1e9/ops - 1e9/ops_noop`, medians of ops/s; the noop row is")
                .append(" the floor itself, `1e9/ops_noop`). `*` = dirty cell (fallback_rate > 0.10 % on this allocator's")
                .append(" or the floor's side): reported, not comparable.\n\n").append(cost).append('\n')
                .append("Peak RSS, MiB (median of the timed runs' `[PROCESS_MEMORY] peak_rss_kb`; the whole JVM).\n\n")
                .append(rss);
        if (cells.stream().anyMatch(c -> c.threads() == 1)) {
            sb.append("\nT=1: the benchmark ignores remote_pct, so a T=1 R>0 cell is the T=1 R=0 cell and runs once.\n");
        }
        return sb.toString();
    }
}
