package dev.hako.lab.ab;

/**
 * A side of an experiment: a short label ({@code A}, {@code B}, or the spec itself in {@code compare}) and its spec.
 */
public record Variant(String label, VariantSpec spec) {
    /** {@code A (hako:remote=push)}, or just the spec when the label is the spec. */
    public String display() {
        return label.equals(spec.text()) ? spec.text() : label + " (" + spec.text() + ")";
    }

    /** A filesystem-friendly name for run logs. */
    public String slug() {
        String s = label.equals(spec.text()) ? spec.shortLabel() : label;
        return s.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
