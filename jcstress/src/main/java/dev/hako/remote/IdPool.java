package dev.hako.remote;

/**
 * Owner ids for live jcstress states: a state takes one when it is built and its arbiter gives it back once nothing
 * of the test is left under it. jcstress runs a state's arbiter before it drops the state (in every path that ran
 * the actors), so at most one stride-set of states (strideSize x strideCount, 10,240 by default) holds ids at once.
 */
final class IdPool {
    private final int[] free;
    private int top;

    /** Ids {@code first .. last}. */
    IdPool(int first, int last) {
        free = new int[last - first + 1];
        for (int id = last; id >= first; id--) free[top++] = id;
    }

    synchronized int take() {
        if (top == 0) {
            throw new IllegalStateException("more live jcstress states than owner ids (" + free.length
                    + "): run with smaller -strideSize/-strideCount");
        }
        return free[--top];
    }

    synchronized void giveBack(int id) {
        free[top++] = id;
    }
}
