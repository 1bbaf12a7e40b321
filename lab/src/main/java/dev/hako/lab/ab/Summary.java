package dev.hako.lab.ab;

import java.util.Arrays;

/**
 * Median, min and max of a few runs. Spread is the range relative to the median: with 5 runs on a shared 2-core
 * machine, the range says honestly how far apart two runs of the same build can land.
 */
public record Summary(int n, double median, double min, double max) {
    public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN);

    /** The summary of {@code values}; NaN values are ignored. */
    public static Summary of(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return EMPTY;
        int m = v.length / 2;
        double median = v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
        return new Summary(v.length, median, v[0], v[v.length - 1]);
    }

    /** {@code (max - min) / median} in %, 0 for one run, NaN without runs. */
    public double spreadPct() {
        return n == 0 || median == 0 ? Double.NaN : 100 * (max - min) / median;
    }

    /** {@code (this.median - base.median) / base.median} in %. */
    public double deltaPctOver(Summary base) {
        return 100 * (median - base.median) / base.median;
    }
}
