package dev.hako.lab.ab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One cell of an experiment's matrix: the benchmark's thread count and remote-free percentage.
 *
 * @param threads   worker threads T (>= 1)
 * @param remotePct percentage of frees handed to another thread, 0..100
 */
public record Cell(int threads, int remotePct) {
    public Cell {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (remotePct < 0 || remotePct > 100) {
            throw new IllegalArgumentException("remote percentage must be 0..100, got " + remotePct);
        }
    }

    /** {@code T=32 R=90}. */
    public String label() {
        return "T=" + threads + " R=" + remotePct;
    }

    /** A filesystem-friendly name: {@code t32-r90}. */
    public String slug() {
        return "t" + threads + "-r" + remotePct;
    }

    /** Whether blocks really cross threads here: the seed's target kind of cell (R > 0 with T > 1). */
    public boolean hasRemoteFrees() {
        return remotePct > 0 && threads > 1;
    }

    /**
     * The cells of {@code threads x remote}, in that nesting order. The benchmark ignores remote_pct when T = 1,
     * so a T = 1 cell with R > 0 is the R = 0 cell: it is folded into it and run once.
     */
    public static List<Cell> matrix(List<Integer> threads, List<Integer> remote) {
        if (threads.isEmpty()) throw new IllegalArgumentException("--threads needs at least one value");
        if (remote.isEmpty()) throw new IllegalArgumentException("--remote needs at least one value");
        Set<Cell> cells = new LinkedHashSet<>();
        for (int t : threads) {
            for (int r : remote) {
                cells.add(new Cell(t, t == 1 ? 0 : r));
            }
        }
        return new ArrayList<>(cells);
    }
}
