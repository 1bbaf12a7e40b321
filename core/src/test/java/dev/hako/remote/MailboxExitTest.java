package dev.hako.remote;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.Heap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thread exit through the whole allocator: threads remote-free to each other and die (some closing their heap,
 * some not) while their outboxes hold blocks. Before the dead threads are flushed the outboxes hold blocks; after
 * {@code flushDeadThreads()} no dead producer holds anything it has not handed over, no mailbox2 buffer waits
 * without its pending bit, and the audit finds every block free exactly once. ({@code RemoteAccountingTest}
 * checks the audit with id adoption across waves; the audit alone cannot tell a flushed outbox from an
 * unflushed one, since both hold their blocks visibly. That is what this test adds.)
 */
class MailboxExitTest {
    private static final int THREADS = 4;
    private static final int SHARED = 2;
    private static final int OWNERS = SHARED + THREADS;

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void theFlushAtThreadDeathHandsEveryOutboxOver(String name) throws Exception {
        // A reaper that never runs on its own: the test decides when dead threads are flushed.
        HakoConfig config = HakoConfig.builder().remote(name).arenaBytes(1L << 30).sharedHeaps(SHARED)
                .maxOwners(OWNERS).reaperIntervalMillis(3_600_000).build();
        try (HakoAllocator hako = HakoAllocator.create(config)) {
            RemoteFree strategy = strategyOf(hako);
            IntUnaryOperator producerHeld = strategy instanceof Mailbox0RemoteFree m0 ? m0::producerHeld
                    : ((Mailbox2RemoteFree) strategy)::producerHeld;
            @SuppressWarnings({"unchecked", "rawtypes"})
            ConcurrentLinkedQueue<Long>[] inbox = new ConcurrentLinkedQueue[THREADS];
            for (int i = 0; i < THREADS; i++) inbox[i] = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();

            // Each thread: allocate and send; free what it received (remote frees; most outboxes end up handed
            // over); miss on an empty bin once, so its collect gives back every outbox handed to it; then free
            // three more blocks from each other thread (outboxes now partly filled) and die.
            @SuppressWarnings({"unchecked", "rawtypes"})
            ConcurrentLinkedQueue<Long>[] late = new ConcurrentLinkedQueue[THREADS];
            for (int i = 0; i < THREADS; i++) late[i] = new ConcurrentLinkedQueue<>();
            CyclicBarrier step = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        Heap heap = hako.heap();
                        SplittableRandom rnd = new SplittableRandom(me);
                        for (int i = 0; i < 5_000; i++) {
                            int to = (me + 1 + rnd.nextInt(THREADS - 1)) % THREADS;
                            inbox[to].add(heap.malloc(16 + rnd.nextInt(1024)));
                        }
                        for (int other = 0; other < THREADS; other++) {
                            if (other == me) continue;
                            for (int i = 0; i < 3; i++) late[other].add(heap.malloc(16 + rnd.nextInt(1024)));
                        }
                        step.await();
                        for (Long b; (b = inbox[me].poll()) != null; ) heap.free(b);
                        step.await();
                        heap.free(heap.malloc(60_000)); // a class never used here: its refill collects
                        step.await();
                        for (Long b; (b = late[me].poll()) != null; ) heap.free(b);
                        if (me % 2 == 0) heap.close(); // the others just die: the reaper's flush
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());

            int heldBefore = 0;
            for (int p = SHARED + 1; p <= OWNERS; p++) heldBefore += producerHeld.applyAsInt(p);
            assertTrue(heldBefore > 0, "dead but unflushed producers hold blocks in their outboxes");

            hako.flushDeadThreads();
            for (int p = 1; p <= OWNERS; p++) {
                assertEquals(0, producerHeld.applyAsInt(p), "producer " + p + " after the flush");
                if (strategy instanceof Mailbox2RemoteFree m2) {
                    for (int o = 1; o <= OWNERS; o++) assertFalse(m2.stranded(p, o), p + " -> " + o);
                }
            }
            AuditReport audit = hako.audit();
            assertTrue(audit.balanced(0), audit::toString);
            assertTrue(audit.carvedBlocks() >= THREADS * 5_000L);
        }
    }

    /** The allocator's strategy instance (a test-only look inside; the seam has no getter by design). */
    private static RemoteFree strategyOf(HakoAllocator hako) throws ReflectiveOperationException {
        Field f = HakoAllocator.class.getDeclaredField("remote");
        f.setAccessible(true);
        return (RemoteFree) f.get(hako);
    }
}
