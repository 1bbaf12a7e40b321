package dev.hako.lab.ab;

import java.util.List;

/**
 * The experiment's decision: {@code GO}, {@code NO-GO (reasons)} or {@code INCONCLUSIVE (reasons)}.
 *
 * @param kind    the decision
 * @param reasons why NO-GO or INCONCLUSIVE; for GO, what was not measured
 */
public record Verdict(Kind kind, List<String> reasons) {
    public enum Kind {
        GO("GO"), NO_GO("NO-GO"), INCONCLUSIVE("INCONCLUSIVE");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    /** {@code verdict: NO-GO (reason; reason)}; GO prints without its notes. */
    public String line() {
        if (kind == Kind.GO || reasons.isEmpty()) return "verdict: " + kind.word();
        return "verdict: " + kind.word() + " (" + String.join("; ", reasons) + ")";
    }
}
