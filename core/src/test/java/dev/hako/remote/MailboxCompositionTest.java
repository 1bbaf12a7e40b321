package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.remote.StrategyHarness.TestHeap;
import dev.hako.stats.Counter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strategies' own compositions of the protocol steps, interleaved: the owner runs the real
 * {@code collect}, and the producer's next real {@code free} calls are injected at every point where the owner's
 * code calls out, i.e. before each collect and right after each block it accepts (after reading an entry and
 * before giving the outbox back). Every distribution of the producer's frees over those points is run from a
 * fresh strategy. {@link MailboxInterleavingTest} interleaves the single steps; this test checks that
 * {@code collect} puts them in the right order (a collect that gave the outbox back before reading it fails
 * here), with the seed's real thresholds.
 */
class MailboxCompositionTest {
    private static final int PRODUCER = 1, OWNER = 2;

    /** An owner whose every accepted block is a point where the producer may run. */
    static final class InjectingHeap implements RemoteHeap {
        final List<List<Long>> bins = new ArrayList<>();
        Runnable onAccept = () -> { };

        InjectingHeap() {
            for (int c = 0; c < SizeClasses.COUNT; c++) bins.add(new ArrayList<>());
        }

        @Override
        public int ownerId() {
            return OWNER;
        }

        @Override
        public void acceptFree(int sizeClass, long block) {
            bins.get(sizeClass).add(block);
            onAccept.run();
        }

        @Override
        public void count(Counter counter, long n) {}

        @Override
        public int room(int sizeClass) {
            return Integer.MAX_VALUE;
        }

        @Override
        public boolean owns(int sizeClass, long block) {
            return block != 0;
        }

        @Override
        public void retract(int sizeClass, int count) {}
    }

    /**
     * Explores: {@code prefill} frees first, then {@code collects} collects of class 1, with {@code frees} more
     * frees distributed over the injection points in every way. Returns the number of distributions run.
     */
    static long explore(String name, int prefill, int frees, int collects) {
        try (StrategyHarness h = new StrategyHarness(name)) {
            int total = prefill + frees;
            long[] block = new long[total];
            int[] sizeClass = new int[total];
            for (int i = 0; i < total; i++) {
                sizeClass[i] = 1 + (i % 3 == 2 ? 1 : 0); // mostly the class asked for, some routed
                block[i] = h.block(2);
            }
            int[] choice = new int[4096], limit = new int[4096];
            int forced = 0;
            long runs = 0;
            for (;;) {
                RemoteFree s = RemoteStrategies.create(name, new RemoteContext(StrategyHarness.MAX_OWNERS, h.pages,
                        () -> StrategyHarness.MAX_OWNERS));
                try {
                    TestHeap producer = new TestHeap(PRODUCER);
                    InjectingHeap owner = new InjectingHeap();
                    int[] next = {0}, point = {0};
                    for (; next[0] < prefill; next[0]++) s.send(producer, OWNER, sizeClass[next[0]], block[next[0]]);
                    int forcedNow = forced;
                    Runnable inject = () -> {
                        int p = point[0]++;
                        int k = p < forcedNow ? choice[p] : 0;
                        choice[p] = k;
                        limit[p] = total - next[0];
                        for (int i = 0; i < k; i++, next[0]++) {
                            s.send(producer, OWNER, sizeClass[next[0]], block[next[0]]);
                        }
                    };
                    owner.onAccept = inject;
                    for (int c = 0; c < collects; c++) {
                        inject.run();
                        s.collect(owner, 1);
                    }
                    owner.onAccept = () -> { };
                    for (; next[0] < total; next[0]++) s.send(producer, OWNER, sizeClass[next[0]], block[next[0]]);
                    runs++;
                    check(s, producer, owner, block, sizeClass, "distribution " + distribution(choice, point[0]));
                    int i = point[0] - 1;
                    while (i >= 0 && choice[i] >= limit[i]) i--;
                    if (i < 0) return runs;
                    choice[i]++;
                    forced = i + 1;
                } finally {
                    s.close();
                }
            }
        }
    }

    /** Every freed block once among the owner's bins and the strategy; then after flush and collects, all delivered. */
    private static void check(RemoteFree s, TestHeap producer, InjectingHeap owner, long[] block, int[] sizeClass,
                              String when) {
        Map<Long, Integer> classOf = new HashMap<>();
        for (int i = 0; i < block.length; i++) classOf.put(block[i], sizeClass[i]);
        List<Long> held = new ArrayList<>();
        s.forEachHeld(held::add);
        exactlyOnce(classOf, owner, held, when + ", at the end");
        s.flushProducer(producer);
        s.collect(owner, 1);
        s.collect(owner, 2);
        held.clear();
        s.forEachHeld(held::add);
        if (!held.isEmpty()) throw new AssertionError(when + ": still held after flush and collects: " + held);
        exactlyOnce(classOf, owner, held, when + ", after flush and collects");
    }

    private static void exactlyOnce(Map<Long, Integer> classOf, InjectingHeap owner, List<Long> held, String when) {
        Map<Long, Integer> seen = new HashMap<>();
        for (int c = 0; c < owner.bins.size(); c++) {
            for (long b : owner.bins.get(c)) {
                if (classOf.get(b) != c) throw new AssertionError(when + ": block " + b + " in bin " + c);
                seen.merge(b, 1, Integer::sum);
            }
        }
        for (long b : held) seen.merge(b, 1, Integer::sum);
        for (long b : classOf.keySet()) {
            int n = seen.getOrDefault(b, 0);
            if (n != 1) throw new AssertionError(when + ": block " + b + " found " + n + " times");
        }
    }

    private static String distribution(int[] choice, int points) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < points; i++) sb.append(choice[i]).append(i + 1 < points ? "," : "");
        return "[" + sb + "]";
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void collectReadsEveryOutboxBeforeGivingItBack(String name) {
        int full = name.equals(Mailbox0RemoteFree.NAME) ? Mailbox0RemoteFree.THRESHOLD : Mailbox2RemoteFree.CAPACITY;
        // One short of a hand-over, then the hand-over and more frees while the owner drains, twice.
        long runs = explore(name, full - 1, 5, 2);
        assertTrue(runs > 1000, "distributions: " + runs);
        // mailbox2: both buffers full, the producer falling back and refilling while the owner drains both.
        if (name.equals(Mailbox2RemoteFree.NAME)) assertTrue(explore(name, 2 * full - 1, 4, 2) > 1000);
    }
}
