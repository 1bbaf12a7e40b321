package dev.hako.netty;

import io.netty.buffer.AbstractByteBufTest;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertSame;

/** Netty's {@code AbstractByteBufTest} on Hako's direct buffers, LITTLE-ENDIAN order. */
class HakoLittleEndianDirectByteBufTest extends AbstractByteBufTest {
    private static HakoByteBufAllocator alloc;

    @BeforeAll
    static void openAllocator() {
        alloc = HakoByteBufTestSupport.open();
    }

    @AfterAll
    static void closeAllocator() {
        HakoByteBufTestSupport.closeBalanced(alloc);
    }

    @Override
    protected ByteBuf newBuffer(int capacity, int maxCapacity) {
        ByteBuf buf = HakoByteBufTestSupport.direct(alloc, capacity, maxCapacity).order(ByteOrder.LITTLE_ENDIAN);
        assertSame(ByteOrder.LITTLE_ENDIAN, buf.order());
        return buf;
    }
}
