package dev.hako.lab.suite;

/**
 * A row of the suite: a workload at a thread count derived from N (the {@code --threads} value, by default the
 * number of processors), named as mimalloc-bench names its rows ({@code alloc-test1}, {@code alloc-testN},
 * {@code larson}).
 */
public record SuiteCase(String name, Workload workload, Threads rule) {
    /** How a case's thread count follows from N. */
    public enum Threads {
        /** One thread, whatever N. */
        ONE,
        /** N threads (xmalloc-test: N producers and N consumers). */
        N,
        /** 2N threads, as mimalloc-bench runs sh6bench and sh8bench. */
        TWICE_N;

        public int of(int n) {
            return switch (this) {
                case ONE -> 1;
                case N -> n;
                case TWICE_N -> 2 * n;
            };
        }

        /** How the rule reads in help and reports: {@code 1}, {@code N}, {@code 2N}. */
        public String label() {
            return switch (this) {
                case ONE -> "1";
                case N -> "N";
                case TWICE_N -> "2N";
            };
        }
    }

    public int threads(int n) {
        return rule.of(n);
    }
}
