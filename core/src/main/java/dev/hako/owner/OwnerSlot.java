package dev.hako.owner;

import dev.hako.cache.CacheStore;
import dev.hako.cache.ThreadCache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One owner id: its cache store (which outlives threads) and the heap attached to it, if any.
 *
 * <p>States: {@code VACANT -> CLAIMED} by a CAS with acquire semantics (the claimant sees everything the last
 * holder left in the store), {@code CLAIMED -> VACANT} by a release store after the holder's heap is detached.
 */
final class OwnerSlot {
    static final int VACANT = 0;
    static final int CLAIMED = 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OwnerSlot.class, "state", int.class)
                    .withInvokeExactBehavior();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int id;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    /** Created by the first claimant; then kept for every later one. Guarded by the claim. */
    private CacheStore store;
    /** The attached heap, {@code null} while vacant; read by the reaper and by snapshots. */
    volatile ThreadCache heap;

    OwnerSlot(int id) {
        this.id = id;
    }

    boolean tryClaim() {
        return state == VACANT && (int) STATE.compareAndExchangeAcquire(this, VACANT, CLAIMED) == VACANT;
    }

    void release() {
        STATE.setRelease(this, VACANT);
    }

    boolean isClaimed() {
        return state == CLAIMED;
    }

    /** The store; only the claimant (or a quiescent audit) may call this. */
    CacheStore store() {
        if (store == null) store = new CacheStore();
        return store;
    }

    /** The store if it was ever created, for audits. */
    CacheStore storeIfAny() {
        return store;
    }
}
