package dev.hako.testing;

import java.util.List;
import java.util.function.Supplier;

/**
 * A deterministic scheduler for a few actors, each a program of steps where a step is one access to shared memory
 * (or an access plus private work, or a stretch of work no other actor can observe). {@link #explore} runs every
 * interleaving of the programs, each from a fresh start, and checks every end state: a stateless depth-first search
 * over the schedule tree, replaying the chosen prefix from scratch for each branch.
 *
 * <p>An actor may be <em>disabled</em> for a while ({@link Actor#enabled}): one waiting for a lock that another holds.
 * Its next step would only spin, so the scheduler does not pick it (a spin changes nothing, and the schedules that
 * spin are the same as those that do not); when no unfinished actor is enabled, the run is a deadlock and fails.
 */
public final class Interleavings {
    private Interleavings() {}

    /** One actor's program: {@link #step} runs the next step; programs are finite. */
    public interface Actor {
        boolean done();

        void step();

        /** Whether the next step can run now (not blocked on something another actor holds). */
        default boolean enabled() {
            return true;
        }
    }

    /** One run with two actors, a producer and an owner: fresh shared state; {@link #check} judges the end state. */
    public interface Run {
        Actor producer();

        Actor owner();

        /** Throws {@link AssertionError} if the end state is wrong. */
        void check();
    }

    /** One run with any number of actors (at most 8); {@link #close} frees the run's resources, failing or not. */
    public interface Scenario extends AutoCloseable {
        List<Actor> actors();

        /** Throws {@link AssertionError} if the end state is wrong. */
        void check();

        @Override
        default void close() {}
    }

    /** What an exploration found: how many schedules ran, and the first failing one (or {@code null}). */
    public record Outcome(long schedules, String failingSchedule, AssertionError failure) {
        public boolean failed() {
            return failure != null;
        }

        @Override
        public String toString() {
            return failed() ? schedules + " schedules, failed at " + failingSchedule + ": " + failure.getMessage()
                    : schedules + " schedules, all passed";
        }
    }

    private static final int MAX_STEPS = 4096;

    /** Every interleaving of a producer and an owner ({@code P} and {@code O} in the schedule). */
    public static Outcome explore(Supplier<Run> fresh) {
        return explore("PO", () -> {
            Run run = fresh.get();
            return new Scenario() {
                public List<Actor> actors() {
                    return List.of(run.producer(), run.owner());
                }

                public void check() {
                    run.check();
                }
            };
        });
    }

    /**
     * Runs every interleaving of the scenario's actors; stops at the first failing end state (or deadlock).
     * {@code letters} names the actors in schedules ("HOP": the first actor's steps print as H, and so on).
     */
    public static Outcome explore(String letters, Supplier<? extends Scenario> fresh) {
        int[] choice = new int[MAX_STEPS];
        int[] enabledAt = new int[MAX_STEPS]; // bit i: actor i could have gone at this depth
        int forced = 0;
        long schedules = 0;
        for (;;) {
            int depth = 0;
            try (Scenario run = fresh.get()) {
                List<Actor> actors = run.actors();
                if (actors.size() > 8 || actors.size() > letters.length()) throw new IllegalArgumentException("actors");
                AssertionError failure = null;
                for (; depth < forced; depth++) {
                    Actor a = actors.get(choice[depth]);
                    // Replays must retrace the same run: a scenario that is not deterministic cannot be explored.
                    if (a.done() || !a.enabled()) throw new IllegalStateException("the run is not deterministic");
                    a.step();
                }
                for (;;) {
                    int mask = 0, unfinished = 0;
                    for (int i = 0; i < actors.size(); i++) {
                        Actor a = actors.get(i);
                        if (a.done()) continue;
                        unfinished++;
                        if (a.enabled()) mask |= 1 << i;
                    }
                    if (unfinished == 0) break;
                    if (mask == 0) {
                        failure = new AssertionError("deadlock: no unfinished actor can move");
                        break;
                    }
                    if (depth == MAX_STEPS) throw new IllegalStateException("a program did not end");
                    int c = Integer.numberOfTrailingZeros(mask);
                    choice[depth] = c;
                    enabledAt[depth] = mask;
                    depth++;
                    actors.get(c).step();
                }
                schedules++;
                if (failure == null) {
                    try {
                        run.check();
                    } catch (AssertionError e) {
                        failure = e;
                    }
                }
                if (failure != null) return new Outcome(schedules, schedule(letters, choice, depth), failure);
            }
            // Backtrack: the deepest step where an actor after the chosen one could have gone instead.
            int i = depth - 1;
            while (i >= 0 && (enabledAt[i] & -(2 << choice[i])) == 0) i--;
            if (i < 0) return new Outcome(schedules, null, null);
            choice[i] = Integer.numberOfTrailingZeros(enabledAt[i] & -(2 << choice[i]));
            forced = i + 1;
        }
    }

    /** "HHOOP...": who ran each step. */
    private static String schedule(String letters, int[] choice, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(letters.charAt(choice[i]));
        return sb.toString();
    }
}
