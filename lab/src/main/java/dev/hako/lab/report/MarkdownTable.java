package dev.hako.lab.report;

import java.util.ArrayList;
import java.util.List;

/** A markdown table, padded so that it also reads as plain text on a terminal. */
public final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    public MarkdownTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** Adds a row; cells are escaped ('|' would break the table). */
    public MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(cells.stream().map(c -> c == null ? "" : c.replace("|", "\\|").replace("\n", " ")).toList());
        return this;
    }

    public MarkdownTable row(String... cells) {
        return row(List.of(cells));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(3, header.get(i).length());
            for (List<String> r : rows) w[i] = Math.max(w[i], r.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        List<String> rule = new ArrayList<>();
        for (int x : w) rule.add("-".repeat(x));
        line(sb, rule, w);
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(' ').append(c).append(" ".repeat(w[i] - c.length())).append(" |");
        }
        sb.append('\n');
    }
}
