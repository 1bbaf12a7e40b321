package dev.hako.netty;

import io.netty.buffer.AbstractByteBufTest;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Netty's {@code AbstractByteBufTest} on the allocator's heap buffers (Netty's unpooled ones with their arrays
 * counted), and at the end the count must be back to zero.
 */
class HakoHeapByteBufTest extends AbstractByteBufTest {
    private static HakoByteBufAllocator alloc;

    @BeforeAll
    static void openAllocator() {
        alloc = HakoByteBufTestSupport.open();
    }

    @AfterAll
    static void closeAllocator() {
        try {
            assertEquals(0, alloc.metric().usedHeapMemory(), "heap bytes of released buffers");
        } finally {
            HakoByteBufTestSupport.closeBalanced(alloc);
        }
    }

    @Override
    protected ByteBuf newBuffer(int capacity, int maxCapacity) {
        ByteBuf buf = alloc.newCountedHeapBuffer(capacity, maxCapacity);
        assertSame(alloc, buf.alloc());
        assertFalse(buf.isDirect());
        return buf;
    }
}
