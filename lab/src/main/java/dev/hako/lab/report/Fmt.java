package dev.hako.lab.report;

import java.util.Locale;

/** Number formats shared by the reports; a figure that was not measured prints as "-". */
final class Fmt {
    private Fmt() {}

    /** Millions with two decimals: {@code 123.45}. */
    static String mega(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v / 1e6) : "-";
    }

    /** A signed percentage: {@code +3.1 %}. */
    static String signedPct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.1f %%", v) : "-";
    }

    /** A percentage: {@code 3.1 %}. */
    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f %%", v) : "-";
    }

    /** A fallback rate with two decimals, as the bench prints it: {@code 0.05 %}. */
    static String rate(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f %%", v) : "-";
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    /** KiB as MiB: {@code 22.4}. */
    static String mib(double kib) {
        return Double.isFinite(kib) && kib >= 0 ? String.format(Locale.ROOT, "%.1f", kib / 1024) : "-";
    }
}
