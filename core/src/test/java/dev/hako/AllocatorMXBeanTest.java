package dev.hako;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HakoAllocatorMXBean} on the platform MBean server: names, gauges that follow the allocator, trim, close. */
@Timeout(120)
class AllocatorMXBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static ObjectName nameOf(HakoAllocator hako) {
        ObjectName name = AllocatorMonitor.of(hako).objectName();
        assertNotNull(name, "the allocator has a bean");
        return name;
    }

    private static HakoAllocatorMXBean proxy(HakoAllocator hako) {
        return JMX.newMXBeanProxy(SERVER, nameOf(hako), HakoAllocatorMXBean.class);
    }

    @Test
    void theProcessWideAllocatorShouldHaveThePlainNameAndOthersANumber() throws Exception {
        HakoAllocator global = Hako.global();
        ObjectName plain = new ObjectName(HakoAllocatorMXBean.OBJECT_NAME);
        assertEquals(plain, nameOf(global));
        assertTrue(SERVER.isRegistered(plain));
        assertEquals("global", SERVER.getAttribute(plain, "Name"));
        try (HakoAllocator a = TestHako.create(); HakoAllocator b = TestHako.create()) {
            ObjectName na = nameOf(a), nb = nameOf(b);
            assertNotEquals(na, nb);
            for (ObjectName n : new ObjectName[] {na, nb}) {
                assertEquals("dev.hako", n.getDomain());
                assertEquals("Allocator", n.getKeyProperty("type"));
                assertTrue(n.getKeyProperty("name").matches("[1-9][0-9]*"), n.toString());
                assertTrue(SERVER.isRegistered(n));
                assertTrue(SERVER.isInstanceOf(n, HakoAllocatorMXBean.class.getName()));
            }
            assertTrue(SERVER.queryNames(new ObjectName("dev.hako:type=Allocator,*"), null)
                    .containsAll(java.util.List.of(plain, na, nb)));
            assertEquals(a.describe(), proxy(a).getConfiguration());
        }
    }

    @Test
    void gaugesShouldFollowAllocationsFreesAndTrim() {
        try (HakoAllocator hako = TestHako.create()) {
            HakoAllocatorMXBean bean = proxy(hako);
            long live0 = bean.getLiveBytes();
            long[] blocks = new long[2000];
            for (int i = 0; i < blocks.length; i++) blocks[i] = hako.malloc(64);
            long large = hako.malloc(1 << 20);
            assertEquals(live0 + 2000 * 64 + (1 << 20), bean.getLiveBytes(), "every block handed out is live");
            assertEquals(1 << 20, bean.getLargeBytes());
            assertTrue(bean.getCommittedBytes() >= bean.getLiveBytes());
            assertTrue(bean.getOwnersInUse() >= 1);

            for (long b : blocks) hako.free(b);
            hako.free(large);
            assertEquals(live0, bean.getLiveBytes(), "freed blocks are not live");
            assertEquals(0, bean.getLargeBytes());
            assertTrue(bean.getCachedBytes() + bean.getFreeInPagesBytes() + bean.getPooledBytes() >= 2000 * 64 + (1 << 20),
                    "what was freed is cached, free in pages or pooled");

            long returned0 = bean.getReturnedBytes();
            long trimmed = bean.trim(); // through JMX: the caller's cache stays, everything else goes
            assertTrue(trimmed >= 1 << 20, "the large block's pages at least: " + trimmed);
            assertEquals(0, bean.getPooledBytes(), "trim purges every free page");
            assertTrue(bean.getDecommittedBytes() >= trimmed);
            assertEquals(returned0 + trimmed, bean.getReturnedBytes());
        }
    }

    @Test
    void trimThroughJmxShouldNotGiveTheCallingThreadAHeap() throws Exception {
        HakoAllocator hako = TestHako.create();
        hako.free(hako.malloc(1 << 20));
        ObjectName name = nameOf(hako);
        int owners = hako.stats().ownersInUse();
        CountDownLatch trimmed = new CountDownLatch(1), release = new CountDownLatch(1);
        long[] result = {-1};
        Thread jmxThread = Thread.ofPlatform().name("jmx-client").start(() -> {
            try {
                result[0] = (Long) SERVER.invoke(name, "trim", null, null);
                trimmed.countDown();
                release.await(); // alive while the allocator closes
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        trimmed.await();
        assertTrue(result[0] >= 1 << 20, "trimmed " + result[0]);
        assertEquals(owners, hako.stats().ownersInUse(), "no heap attached for the JMX thread");
        assertDoesNotThrow(hako::close, "a live JMX thread holds no heap, so it does not hold the close back");
        release.countDown();
        jmxThread.join();
    }

    @Test
    void closeShouldUnregisterTheBeanAndNeverThrow() throws Exception {
        HakoAllocator hako = TestHako.create();
        hako.free(hako.malloc(64));
        AllocatorMonitor monitor = AllocatorMonitor.of(hako);
        ObjectName name = monitor.objectName();
        HakoAllocatorMXBean proxy = proxy(hako);
        assertTrue(SERVER.isRegistered(name));
        hako.close();
        assertFalse(SERVER.isRegistered(name), "unregistered at close");
        assertNull(AllocatorMonitor.of(hako));
        assertThrows(RuntimeException.class, proxy::getLiveBytes, "a proxy to a closed allocator's bean fails");
        AllocatorBean bean = new AllocatorBean(monitor); // what a holder of the bean object itself would call
        assertThrows(IllegalStateException.class, bean::getLiveBytes);
        assertThrows(IllegalStateException.class, bean::trim);
        assertDoesNotThrow(() -> hako.close(), "a second close");

        HakoAllocator other = TestHako.create();
        SERVER.unregisterMBean(nameOf(other)); // somebody removed the bean behind its back
        assertDoesNotThrow(other::close);
    }

    @Test
    void closeThatIsRefusedShouldKeepTheBean() throws Exception {
        try (HakoAllocator hako = TestHako.create(); OtherThread holder = new OtherThread("holds-a-heap")) {
            holder.run(() -> hako.free(hako.malloc(64)));
            ObjectName name = nameOf(hako);
            assertThrows(IllegalStateException.class, hako::close, "another live thread holds a heap");
            assertTrue(SERVER.isRegistered(name), "the allocator is still open, so is its bean");
            holder.run(() -> hako.heap().close());
        }
    }

    @Test
    void theBeanShouldNotKeepAClosedAllocatorAlive() throws Exception {
        HakoAllocator hako = TestHako.create();
        hako.free(hako.malloc(64));
        AllocatorMonitor monitor = AllocatorMonitor.of(hako);
        AllocatorBean bean = new AllocatorBean(monitor); // held strongly, as a careless JMX client might
        WeakReference<HakoAllocator> ref = new WeakReference<>(hako);
        hako.close();
        hako = null;
        assertTrue(collected(ref), "the closed allocator was collected although its bean is still referenced");
        assertThrows(IllegalStateException.class, bean::getCommittedBytes);
    }

    @Test
    void aDroppedAllocatorsBeanShouldGoWhenTheNextOneIsCreated() throws Exception {
        HakoAllocator dropped = TestHako.create(); // never used, never closed
        ObjectName name = nameOf(dropped);
        WeakReference<HakoAllocator> ref = new WeakReference<>(dropped);
        dropped = null;
        assertTrue(collected(ref), "nothing of the bean's keeps an unused allocator alive");
        try (HakoAllocator next = TestHako.create()) {
            assertFalse(SERVER.isRegistered(name), "the dropped allocator's bean was unregistered");
            assertTrue(SERVER.isRegistered(nameOf(next)));
        }
    }

    /** Runs the GC until {@code ref} is cleared (a bounded number of times: a failure means something holds it). */
    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return ref.get() == null;
    }
}
