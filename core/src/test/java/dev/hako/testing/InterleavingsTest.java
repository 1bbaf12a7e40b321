package dev.hako.testing;

import dev.hako.testing.Interleavings.Actor;
import dev.hako.testing.Interleavings.Outcome;
import dev.hako.testing.Interleavings.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler itself: every interleaving once, blocked actors waited for, deadlocks and fiber failures seen. */
class InterleavingsTest {
    private static Fibers fibers;

    @BeforeAll
    static void start() {
        fibers = new Fibers(3);
    }

    @AfterAll
    static void stop() {
        fibers.close();
    }

    /** An actor of {@code steps} steps that appends its letter to {@code log}, enabled while {@code when} holds. */
    static Actor counting(int steps, char letter, StringBuilder log, BooleanSupplier when) {
        return new Actor() {
            int left = steps;

            public boolean done() {
                return left == 0;
            }

            public void step() {
                left--;
                log.append(letter);
            }

            public boolean enabled() {
                return when == null || when.getAsBoolean();
            }
        };
    }

    /** Explores fresh scenarios of the given actors, collecting each run's log. */
    static Outcome explore(Set<String> logs, java.util.function.Function<StringBuilder, List<Actor>> actors) {
        return Interleavings.explore("ABC", () -> {
            StringBuilder log = new StringBuilder();
            List<Actor> list = actors.apply(log);
            return new Scenario() {
                public List<Actor> actors() {
                    return list;
                }

                public void check() {
                    if (!logs.add(log.toString())) throw new AssertionError("schedule " + log + " ran twice");
                }
            };
        });
    }

    @Test
    void threeActorsRunEveryInterleavingOnce() {
        // 2 + 1 + 1 steps: 4! / 2! = 12 interleavings.
        Set<String> logs = new HashSet<>();
        Outcome o = explore(logs, log -> List.of(counting(2, 'a', log, null), counting(1, 'b', log, null),
                counting(1, 'c', log, null)));
        assertFalse(o.failed(), o::toString);
        assertEquals(12, o.schedules());
        assertEquals(12, logs.size());
    }

    @Test
    void aBlockedActorWaitsForWhatItNeeds() {
        // b may go only once a has taken both steps: a a b is the one schedule.
        Set<String> logs = new HashSet<>();
        Outcome o = explore(logs, log -> {
            Actor a = counting(2, 'a', log, null);
            return List.of(a, counting(1, 'b', log, a::done));
        });
        assertFalse(o.failed(), o::toString);
        assertEquals(Set.of("aab"), logs);
    }

    @Test
    void actorsWaitingForEachOtherAreADeadlock() {
        Outcome o = explore(new HashSet<>(), log -> List.of(counting(1, 'a', log, () -> false),
                counting(1, 'b', log, () -> false)));
        assertTrue(o.failed());
        assertTrue(o.failure().getMessage().contains("deadlock"), o::toString);
    }

    @Test
    void fibersPauseInsideTheirCodeAndRunOneAtATime() {
        // Two fibers of three steps each (two pauses): C(6, 3) = 20 interleavings, each a different order.
        Set<String> logs = new HashSet<>();
        Outcome o = Interleavings.explore("AB", () -> {
            StringBuilder log = new StringBuilder();
            List<Actor> list = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                char letter = (char) ('a' + f);
                list.add(fibers.actor(f, null, () -> {
                    for (int i = 0; i < 3; i++) {
                        if (i > 0) Fibers.pause();
                        log.append(letter);
                    }
                }));
            }
            return new Scenario() {
                public List<Actor> actors() {
                    return list;
                }

                public void check() {
                    if (!logs.add(log.toString())) throw new AssertionError("schedule " + log + " ran twice");
                }

                public void close() {
                    fibers.abandon();
                }
            };
        });
        assertFalse(o.failed(), o::toString);
        assertEquals(20, o.schedules());
        assertEquals(20, logs.size());
    }

    @Test
    void aFiberThatThrowsIsReportedAndADeadlockedOneIsAbandoned() {
        Outcome threw = Interleavings.explore("A", () -> new Scenario() {
            final List<Actor> list = List.of(fibers.actor(0, null, () -> {
                throw new IllegalStateException("boom");
            }));

            public List<Actor> actors() {
                return list;
            }

            public void check() {
                if (fibers.failure() != null) throw new AssertionError("threw", fibers.failure());
            }
        });
        assertTrue(threw.failed());
        assertInstanceOf(IllegalStateException.class, threw.failure().getCause());

        boolean[] unwound = {false};
        Outcome stuck = Interleavings.explore("AB", () -> new Scenario() {
            final List<Actor> list = List.of(fibers.actor(0, null, () -> {
                try {
                    Fibers.pauseUntil(() -> false);
                } finally {
                    unwound[0] = true;
                }
            }), fibers.actor(1, () -> false, () -> {}));

            public List<Actor> actors() {
                return list;
            }

            public void check() {}

            public void close() {
                fibers.abandon();
            }
        });
        assertTrue(stuck.failed() && stuck.failure().getMessage().contains("deadlock"), stuck::toString);
        assertTrue(unwound[0], "the abandoned fiber ran its finally block");
        // The workers are free again.
        Outcome again = Interleavings.explore("A", () -> new Scenario() {
            final List<Actor> list = List.of(fibers.actor(0, null, () -> {}));

            public List<Actor> actors() {
                return list;
            }

            public void check() {}
        });
        assertFalse(again.failed(), again::toString);
    }
}
