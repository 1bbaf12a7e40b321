package dev.hako.lab.jmh;

import dev.hako.lab.bench.Lcg;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Request sizes 16..2048, drawn up front with the seed's generator so that the measured operation pays an array
 * read and a mask, not the RNG's divisions.
 */
@State(Scope.Thread)
public class Sizes {
    static final int MIN = 16;
    static final int MAX = 2048;
    private static final int COUNT = 4096; // a power of two: the index wraps with a mask

    private final int[] sizes = new int[COUNT];
    private int next;

    public Sizes() {
        int s = Lcg.seed(0);
        for (int i = 0; i < COUNT; i++) {
            s = Lcg.next(s);
            sizes[i] = MIN + Integer.remainderUnsigned(s, MAX - MIN + 1);
        }
    }

    int next() {
        int i = next;
        next = (i + 1) & (COUNT - 1);
        return sizes[i];
    }
}
