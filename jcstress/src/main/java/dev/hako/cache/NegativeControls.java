package dev.hako.cache;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * NEGATIVE CONTROLS, not part of the normal run (see {@code dev.hako.remote.NegativeControls}): {@link CacheStore}'s
 * test-and-set lock broken on purpose, graded as {@code LockTest.SharedHeapLock} is (two holders increment a plain
 * word; 1 is a lost update).
 */
public final class NegativeControls {
    private NegativeControls() {}

    abstract static class Counted {
        static final VarHandle LOCK;

        static {
            try {
                LOCK = MethodHandles.lookup().findVarHandle(Counted.class, "lock", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        int lock;
        int count;
    }

    /** The acquire CAS weakened to a check and a separate store: two holders at once. Expected: caught. */
    @JCStressTest
    @Description("NEGATIVE CONTROL: test-and-set lock without the atomic CAS (expected: caught)")
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "one after the other")
    @Outcome(id = "1", expect = Expect.FORBIDDEN, desc = "an increment lost")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class TestThenSet extends Counted {
        private void locked() {
            while ((int) LOCK.getOpaque(this) != 0) Thread.onSpinWait();
            LOCK.setOpaque(this, 1);
            count++;
            LOCK.setRelease(this, 0);
        }

        @Actor
        public void first() {
            locked();
        }

        @Actor
        public void second() {
            locked();
        }

        @Arbiter
        public void after(I_Result r) {
            r.r1 = count;
        }
    }

    /**
     * The unlock's release store weakened to a plain store: the JMM lets the next holder miss the increment.
     * Expected on x86: rarely or never caught (stores stay in order in hardware; only C2's scheduling could move
     * the plain unlock above the increment's store, and jcstress's scheduling randomizers are the only chance).
     */
    @JCStressTest
    @Description("NEGATIVE CONTROL: lock released with a plain store instead of a release store (x86: not"
            + " expected to be caught)")
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "one after the other")
    @Outcome(id = "1", expect = Expect.FORBIDDEN, desc = "an increment lost")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class PlainUnlock extends Counted {
        private void locked() {
            while (!LOCK.compareAndSet(this, 0, 1)) Thread.onSpinWait();
            count++;
            lock = 0;
        }

        @Actor
        public void first() {
            locked();
        }

        @Actor
        public void second() {
            locked();
        }

        @Arbiter
        public void after(I_Result r) {
            r.r1 = count;
        }
    }
}
