package dev.hako.remote;

import java.util.function.Supplier;

/**
 * A deterministic scheduler for two actors (a producer and an owner), each a program of steps where a step is
 * one access to shared memory (or an access plus private work). {@link #explore} runs every interleaving of the
 * two programs, each from a fresh start, and checks every end state: a stateless depth-first search over the
 * schedule tree, replaying the chosen prefix from scratch for each branch.
 */
final class Interleavings {
    private Interleavings() {}

    /** One actor's program: {@link #step} runs the next step; programs are finite. */
    interface Actor {
        boolean done();

        void step();
    }

    /** One run: fresh shared state and two actors; {@link #check} judges the end state (throws AssertionError). */
    interface Run {
        Actor producer();

        Actor owner();

        void check();
    }

    /** What an exploration found: how many schedules ran, and the first failing one (or {@code null}). */
    record Outcome(long schedules, String failingSchedule, AssertionError failure) {
        boolean failed() {
            return failure != null;
        }

        @Override
        public String toString() {
            return failed() ? schedules + " schedules, failed at " + failingSchedule + ": " + failure.getMessage()
                    : schedules + " schedules, all passed";
        }
    }

    private static final int MAX_STEPS = 4096;

    /** Runs every interleaving; stops at the first failing end state. */
    static Outcome explore(Supplier<Run> fresh) {
        int[] choice = new int[MAX_STEPS];
        boolean[] otherPending = new boolean[MAX_STEPS]; // at this step both could go, and 'owner first' is untried
        int forced = 0;
        long schedules = 0;
        for (;;) {
            Run run = fresh.get();
            Actor[] actors = {run.producer(), run.owner()};
            int depth = 0;
            for (; depth < forced; depth++) actors[choice[depth]].step();
            while (!actors[0].done() || !actors[1].done()) {
                if (depth == MAX_STEPS) throw new IllegalStateException("a program did not end");
                boolean both = !actors[0].done() && !actors[1].done();
                int c = actors[0].done() ? 1 : 0;
                choice[depth] = c;
                otherPending[depth] = both;
                depth++;
                actors[c].step();
            }
            schedules++;
            try {
                run.check();
            } catch (AssertionError e) {
                return new Outcome(schedules, schedule(choice, depth), e);
            }
            int i = depth - 1;
            while (i >= 0 && !otherPending[i]) i--;
            if (i < 0) return new Outcome(schedules, null, null);
            choice[i] = 1;
            otherPending[i] = false;
            forced = i + 1;
        }
    }

    /** "PPOOP...": who ran each step. */
    private static String schedule(int[] choice, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(choice[i] == 0 ? 'P' : 'O');
        return sb.toString();
    }
}
