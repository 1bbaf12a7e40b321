package dev.hako.lab.ab;

/** How a criterion came out, in one cell or over all of them. */
public enum Status {
    PASS, FAIL,
    /** The runs cannot tell: the spread of a side exceeds the effect, or too few samples. */
    INCONCLUSIVE,
    /** fallback_rate above 0.10 % on a side: the cell is reported but not counted. */
    DIRTY,
    /** Not applicable (e.g. counters of a non-Hako peer) or not measured. */
    NA;

    /** The word in tables: {@code PASS}, {@code n/a}, ... */
    public String word() {
        return this == NA ? "n/a" : name();
    }
}
