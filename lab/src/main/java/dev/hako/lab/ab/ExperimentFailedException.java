package dev.hako.lab.ab;

/** A run of an experiment failed; carries what was measured before, so that it can still be written down. */
public final class ExperimentFailedException extends RuntimeException {
    private final transient ExperimentResult partial;

    public ExperimentFailedException(String message, ExperimentResult partial) {
        super(message);
        this.partial = partial;
    }

    /** The runs that finished before the failure ({@link ExperimentResult#complete()} is false). */
    public ExperimentResult partial() {
        return partial;
    }
}
