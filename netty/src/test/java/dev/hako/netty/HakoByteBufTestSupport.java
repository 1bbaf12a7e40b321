package dev.hako.netty;

import dev.hako.HakoAllocator;
import io.netty.buffer.ByteBuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One Hako allocator per buffer test class (Netty's {@code AbstractByteBufTest} runs some 400 tests on it), and
 * the checks every buffer it hands the tests must pass.
 */
final class HakoByteBufTestSupport {
    private HakoByteBufTestSupport() {}

    static ByteBuf direct(HakoByteBufAllocator alloc, int capacity, int maxCapacity) {
        ByteBuf buf = alloc.newHakoDirectBuffer(capacity, maxCapacity);
        assertTrue(buf instanceof HakoDirectByteBuf, buf.getClass().getName());
        assertSame(alloc, buf.alloc());
        assertEquals(capacity, buf.capacity());
        assertEquals(maxCapacity, buf.maxCapacity());
        assertEquals(0, buf.writerIndex());
        assertTrue(buf.isDirect());
        return buf;
    }

    static HakoByteBufAllocator open() {
        return new HakoByteBufAllocator(TestHako.create(), true);
    }

    /**
     * Every block of the class's allocator must be free (Netty's tests release what they allocate), none freed
     * twice; then the allocator is closed.
     */
    static void closeBalanced(HakoByteBufAllocator alloc) {
        HakoAllocator hako = alloc.hako();
        try {
            TestHako.assertAllFree(hako);
        } finally {
            hako.close();
        }
    }
}
