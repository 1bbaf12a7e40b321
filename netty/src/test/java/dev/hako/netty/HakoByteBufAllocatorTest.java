package dev.hako.netty;

import dev.hako.HakoAllocator;
import io.netty.buffer.AbstractByteBufAllocatorTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeHeapByteBuf;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's own allocator tests ({@code AbstractByteBufAllocatorTest} and {@code ByteBufAllocatorTest} from the
 * netty-buffer test-jar), run against {@link HakoByteBufAllocator}, each allocator over a fresh Hako allocator.
 */
class HakoByteBufAllocatorTest extends AbstractByteBufAllocatorTest<HakoByteBufAllocator> {
    private final List<HakoAllocator> opened = new ArrayList<>();

    @Override
    protected HakoByteBufAllocator newAllocator(boolean preferDirect) {
        HakoAllocator hako = TestHako.create();
        opened.add(hako);
        return new HakoByteBufAllocator(hako, preferDirect);
    }

    /** Hako's allocator is "unpooled" in Netty's sense: one plain buffer object per allocation. */
    @Override
    protected HakoByteBufAllocator newUnpooledAllocator() {
        return newAllocator(false);
    }

    /**
     * Netty asks the same two questions of heap and direct buffers. Heap: the live buffer's bytes, then 0.
     * Direct: what Hako has committed, which for a small buffer is the arena's first segment, kept after the
     * release (pages stay with their owner). The direct test is the one where Hako has committed memory.
     */
    @Override
    protected long expectedUsedMemory(HakoByteBufAllocator allocator, int capacity) {
        return directTest(allocator) ? HakoAllocator.SEGMENT : capacity;
    }

    @Override
    protected long expectedUsedMemoryAfterRelease(HakoByteBufAllocator allocator, int capacity) {
        return directTest(allocator) ? HakoAllocator.SEGMENT : 0;
    }

    private static boolean directTest(HakoByteBufAllocator allocator) {
        return allocator.metric().usedDirectMemory() != 0;
    }

    /**
     * Netty's version wants Netty's unpooled buffer classes; Hako's direct buffers are a class of their own (one
     * Hako block, no ByteBuffer), its heap buffers Netty's, chosen as Netty chooses (with or without Unsafe).
     */
    @Test
    @Override
    public void testUnsafeHeapBufferAndUnsafeDirectBuffer() {
        HakoByteBufAllocator allocator = newUnpooledAllocator();
        ByteBuf direct = allocator.directBuffer();
        assertInstanceOf(direct, HakoDirectByteBuf.class);
        assertTrue(direct.isDirect());
        direct.release();
        ByteBuf heap = allocator.heapBuffer();
        assertInstanceOf(heap, PlatformDependent.hasUnsafe() ? UnpooledUnsafeHeapByteBuf.class
                : UnpooledHeapByteBuf.class);
        assertFalse(heap.isDirect());
        heap.release();
    }

    @Test
    @Disabled("heap buffers are Netty's unpooled heap buffers (only direct buffers come from Hako), so 100 heap"
            + " buffers of 1 MiB allocate 100 MiB of Java heap; Netty disables this test for its unpooled allocator too")
    @Override
    public void shouldReuseChunks() {
    }

    @AfterEach
    void closeAllocators() {
        for (HakoAllocator hako : opened) {
            TestHako.assertAllFree(hako);
            hako.close();
        }
        opened.clear();
    }
}
