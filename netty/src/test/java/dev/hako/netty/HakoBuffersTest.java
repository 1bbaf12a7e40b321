package dev.hako.netty;

import dev.hako.HakoAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Hako adds to Netty's buffer contract: each buffer owns one Hako block at a time, frees it exactly once (on
 * the last release, growth included), on the releasing thread, and every block is accounted for afterwards.
 */
class HakoBuffersTest {
    private HakoAllocator hako;
    private HakoByteBufAllocator alloc;

    private void open(String remote) {
        hako = remote == null ? TestHako.create() : TestHako.create(remote);
        alloc = new HakoByteBufAllocator(hako);
    }

    @AfterEach
    void close() {
        if (hako != null) hako.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "batch", "mailbox0", "mailbox2", "inbox", "parcel"})
    void buffersReleasedOnOtherThreadsGoBackToHako(String remote) throws Exception {
        open(remote);
        int producers = 3, perProducer = 2_000;
        BlockingQueue<ByteBuf> handoff = new ArrayBlockingQueue<>(256);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long seed = 1234 + p;
            threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                Random rnd = new Random(seed);
                try {
                    for (int i = 0; i < perProducer; i++) {
                        int size = 1 + rnd.nextInt(i % 10 == 0 ? 100_000 : 2048); // small, medium and large blocks
                        ByteBuf b = alloc.directBuffer(size);
                        fill(b, size, (byte) size);
                        handoff.put(b);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        Thread consumer = Thread.ofPlatform().name("releaser").start(() -> {
            try {
                for (int i = 0; i < producers * perProducer; i++) {
                    ByteBuf b = handoff.take();
                    check(b, b.writerIndex(), (byte) b.writerIndex());
                    assertTrue(b.release());
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        for (Thread t : threads) t.join();
        consumer.join();
        assertNull(failure.get());
        TestHako.assertAllFree(hako);
    }

    @Test
    void growingAndShrinkingCopiesTheBytesAndFreesEachOldBlock() {
        open(null);
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            ByteBuf b = alloc.directBuffer(rnd.nextInt(64), 1 << 20);
            int written = 0;
            for (int step = 0; step < 20; step++) {
                int capacity = rnd.nextInt(1 << 17);
                written = Math.min(written, capacity);
                b.capacity(capacity);
                assertEquals(capacity, b.capacity());
                check(b, written, (byte) round);
                b.writerIndex(written);
                int more = rnd.nextInt(capacity - written + 1);
                b.ensureWritable(more);
                for (int i = 0; i < more; i++) b.writeByte(round + written + i);
                written += more;
                check(b, written, (byte) round);
                assertEquals(b.memoryAddress(), MemorySegment.ofBuffer(b.internalNioBuffer(0, 0)).address(),
                        "memoryAddress names the block in use");
                TestHako.assertHoldsOnly(hako, b.memoryAddress(), capacity);
            }
            assertTrue(b.release());
            TestHako.assertAllFree(hako);
        }
    }

    @Test
    void bytesWrittenThroughTheBufferAreAtItsMemoryAddress() {
        open(null);
        ByteBuf b = alloc.directBuffer(64);
        b.writeLong(0x0102030405060708L);
        MemorySegment block = MemorySegment.ofAddress(b.memoryAddress()).reinterpret(64);
        assertEquals((byte) 1, block.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals((byte) 8, block.get(ValueLayout.JAVA_BYTE, 7));
        assertTrue(b.hasMemoryAddress());
        b.release();
    }

    @Test
    void aZeroCapacityBufferOwnsABlockAndGrows() {
        open(null);
        ByteBuf b = alloc.directBuffer(0, 100);
        assertEquals(0, b.capacity());
        assertNotEquals(0, b.memoryAddress());
        TestHako.assertBalanced(hako, 1);
        b.writeBytes(new byte[] {1, 2, 3});
        assertEquals(3, b.readableBytes());
        TestHako.assertBalanced(hako, 1);
        b.release();
        TestHako.assertBalanced(hako, 0);
    }

    @Test
    void aReleasedBufferRefusesAccessAndASecondRelease() {
        open(null);
        ByteBuf b = alloc.directBuffer(16);
        assertTrue(b.release());
        assertThrows(IllegalReferenceCountException.class, () -> b.getByte(0));
        assertThrows(IllegalReferenceCountException.class, b::memoryAddress);
        assertThrows(IllegalReferenceCountException.class, b::release);
        assertThrows(IllegalReferenceCountException.class, () -> b.capacity(32));
        TestHako.assertBalanced(hako, 0);
    }

    @Test
    void concurrentRetainsAndReleasesFreeTheBlockOnceOnTheLastRelease() throws Exception {
        open(null);
        ByteBuf b = alloc.directBuffer(64);
        int threads = 4, rounds = 20_000;
        b.retain(threads); // one count for each thread, which it releases at its end
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    b.retain();
                    assertFalse(b.release());
                }
                assertFalse(b.release());
            }));
        }
        for (Thread t : ts) t.join();
        assertEquals(1, b.refCnt());
        TestHako.assertHoldsOnly(hako, b.memoryAddress(), 64);
        assertTrue(b.release());
        TestHako.assertAllFree(hako);
    }

    @Test
    void aRefusedRetainOrReleaseChangesNothing() {
        open(null);
        ByteBuf b = alloc.directBuffer(8);
        assertThrows(IllegalReferenceCountException.class, () -> b.release(2));
        assertThrows(IllegalReferenceCountException.class, () -> b.retain(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> b.retain(0));
        assertThrows(IllegalArgumentException.class, () -> b.release(-1));
        assertEquals(1, b.refCnt());
        TestHako.assertHoldsOnly(hako, b.memoryAddress(), 8);
        assertTrue(b.release());
        TestHako.assertAllFree(hako);
    }

    @Test
    void retainedBuffersAreFreedOnTheLastRelease() {
        open(null);
        ByteBuf b = alloc.directBuffer(16);
        ByteBuf slice = b.retainedSlice(0, 8);
        assertFalse(b.release());
        TestHako.assertBalanced(hako, 1);
        assertTrue(slice.release());
        TestHako.assertBalanced(hako, 0);
    }

    @Test
    void badCapacitiesAreRefusedBeforeABlockIsTaken() {
        open(null);
        assertThrows(IllegalArgumentException.class, () -> alloc.newHakoDirectBuffer(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> alloc.newHakoDirectBuffer(11, 10));
        assertThrows(IllegalArgumentException.class, () -> alloc.directBuffer(11, 10));
        assertEquals(0, hako.audit().carvedBlocks());
    }

    @Test
    void ioBuffersAreDirectAndBufferFollowsPreferDirect() {
        open(null);
        ByteBuf io = new HakoByteBufAllocator(hako, false).ioBuffer(100);
        ByteBuf preferred = alloc.buffer(100);
        ByteBuf heap = new HakoByteBufAllocator(hako, false).buffer(100);
        assertTrue(io.isDirect());
        assertTrue(preferred.isDirect());
        assertFalse(heap.isDirect());
        assertTrue(alloc.isDirectBufferPooled());
        io.release();
        preferred.release();
        heap.release();
        TestHako.assertBalanced(hako, 0);
    }

    @Test
    void usedDirectMemoryFollowsHakoLargeBlocks() {
        open(null);
        HakoByteBufAllocatorMetric metric = alloc.metric();
        long before = metric.usedDirectMemory();
        int size = 40 << 20; // above the arena's large-block limit (32 MiB): a mapping of its own
        ByteBuf big = alloc.directBuffer(size, size);
        assertEquals(before + size, metric.usedDirectMemory());
        assertEquals(size, metric.hakoStats().memory().largeMappedBytes());
        big.release();
        assertEquals(before, metric.usedDirectMemory());
        assertTrue(metric.toString().contains("usedDirectMemory"), metric.toString());
    }

    @Test
    void directBuffersAreHakosWithOrWithoutUnsafeAndHeapBuffersFollowNetty() {
        open(null);
        ByteBuf direct = alloc.newHakoDirectBuffer(8, 8);
        ByteBuf heap = alloc.newCountedHeapBuffer(8, 8);
        assertInstanceOf(HakoDirectByteBuf.class, direct);
        Class<?> heapClass = PlatformDependent.hasUnsafe() ? CountedUnsafeHeapByteBuf.class : CountedHeapByteBuf.class;
        assertInstanceOf(heapClass, heap);
        // The surefire execution that allows sun.misc.Unsafe says so, so that it cannot silently test the other path.
        if (Boolean.getBoolean("hako.netty.test.unsafe")) assertTrue(PlatformDependent.hasUnsafe());
        direct.release();
        heap.release();
    }

    @Test
    void aLittleEndianViewReadsAndWritesTheSameBlock() {
        open(null);
        ByteBuf b = alloc.directBuffer(8);
        b.order(java.nio.ByteOrder.LITTLE_ENDIAN).writeInt(0x01020304);
        assertEquals(0x04030201, b.getInt(0));
        assertEquals((byte) 4, MemorySegment.ofAddress(b.memoryAddress()).reinterpret(8).get(ValueLayout.JAVA_BYTE, 0));
        b.release();
    }

    @Test
    void theGlobalAllocatorServesBuffers() {
        ByteBuf b = HakoByteBufAllocator.global().directBuffer(100);
        fill(b, 100, (byte) 7);
        check(b, 100, (byte) 7);
        assertTrue(b.release());
        assertTrue(HakoByteBufAllocator.global().toString().contains("hako"), HakoByteBufAllocator.global().toString());
    }

    private static void fill(ByteBuf b, int n, byte seed) {
        for (int i = 0; i < n; i++) b.writeByte(seed + i);
    }

    private static void check(ByteBuf b, int n, byte seed) {
        for (int i = 0; i < n; i++) {
            if (b.getByte(i) != (byte) (seed + i)) {
                throw new AssertionError("byte " + i + " of " + n + ": " + b.getByte(i) + " != " + (byte) (seed + i));
            }
        }
    }
}
