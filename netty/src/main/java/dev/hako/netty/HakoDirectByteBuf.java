package dev.hako.netty;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * A direct {@code ByteBuf} that is one Hako block: its bytes are read and written in place through the FFM API
 * (no {@code sun.misc.Unsafe}, no {@code ByteBuffer} per buffer), big-endian as every Netty buffer.
 *
 * <p>The block is taken from the allocating thread's Hako heap and freed exactly once, by the {@code release()}
 * that brings the reference count to zero, on that thread; growing or shrinking ({@link #capacity(int)})
 * moves the bytes to a block of the new size with Hako's {@code realloc}. A {@code ByteBuffer} view is made only
 * when NIO asks for one ({@link #internalNioBuffer}: one per buffer, reused; {@link #nioBuffer}: one per call).
 *
 * <p>Index and liveness checks are Netty's ({@code AbstractByteBuf}); accesses after the last release are refused
 * there, before any memory is touched. The block's address is 0 once freed. The reference count is a field of the
 * buffer itself (Netty's reference-counted base class adds an object per buffer).
 */
final class HakoDirectByteBuf extends AbstractByteBuf {
    /** All of the address space, so that an access costs no per-buffer segment: {@code address + index}. */
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Bytes moved per step between a stream and the block. */
    private static final int STREAM_CHUNK = 8192;
    private static final VarHandle REF_CNT;

    static {
        try {
            REF_CNT = MethodHandles.lookup().findVarHandle(HakoDirectByteBuf.class, "refCnt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HakoByteBufAllocator alloc;
    private long address;
    private int capacity;
    /** The view {@link #internalNioBuffer} hands out, made on first use for the current block. */
    private ByteBuffer view;
    private volatile int refCnt = 1;

    HakoDirectByteBuf(HakoByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity: " + initialCapacity + " (expected: >= 0)");
        }
        if (initialCapacity > maxCapacity) {
            throw new IllegalArgumentException("initialCapacity(" + initialCapacity + ") > maxCapacity(" + maxCapacity
                    + ")");
        }
        super(maxCapacity);
        this.alloc = alloc;
        this.address = alloc.allocateBlock(initialCapacity);
        this.capacity = initialCapacity;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        checkNewCapacity(newCapacity);
        if (newCapacity == capacity) return this;
        if (newCapacity < capacity) trimIndicesToCapacity(newCapacity);
        address = alloc.reallocateBlock(address, newCapacity);
        capacity = newCapacity;
        view = null;
        return this;
    }

    @Override
    public int refCnt() {
        return refCnt;
    }

    @Override
    public ByteBuf retain() {
        return retain0(1);
    }

    @Override
    public ByteBuf retain(int increment) {
        if (increment <= 0) throw new IllegalArgumentException("increment: " + increment + " (expected: > 0)");
        return retain0(increment);
    }

    private ByteBuf retain0(int increment) {
        for (;;) {
            int count = refCnt;
            int next = count + increment;
            if (count == 0 || next <= 0) throw new IllegalReferenceCountException(count, increment);
            if (REF_CNT.weakCompareAndSet(this, count, next)) return this;
        }
    }

    @Override
    public boolean release() {
        return release0(1);
    }

    @Override
    public boolean release(int decrement) {
        if (decrement <= 0) throw new IllegalArgumentException("decrement: " + decrement + " (expected: > 0)");
        return release0(decrement);
    }

    /** The release that reaches zero frees the block, on its own thread; any other refused release changes nothing. */
    private boolean release0(int decrement) {
        for (;;) {
            int count = refCnt;
            if (count < decrement) throw new IllegalReferenceCountException(count, -decrement);
            if (REF_CNT.weakCompareAndSet(this, count, count - decrement)) {
                if (count != decrement) return false;
                free();
                return true;
            }
        }
    }

    private void free() {
        long a = address;
        address = 0;
        view = null;
        alloc.freeBlock(a);
    }

    @Override
    public ByteBuf touch() {
        return this;
    }

    @Override
    public ByteBuf touch(Object hint) {
        return this;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public ByteOrder order() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public ByteBuf unwrap() {
        return null;
    }

    @Override
    public boolean isDirect() {
        return true;
    }

    @Override
    public boolean isContiguous() {
        return true;
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("direct buffer");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("direct buffer");
    }

    @Override
    public boolean hasMemoryAddress() {
        return true;
    }

    @Override
    public long memoryAddress() {
        ensureAccessible();
        return address;
    }

    // Single values: AbstractByteBuf has checked the index and that the buffer is alive.

    @Override
    protected byte _getByte(int index) {
        return MEMORY.get(ValueLayout.JAVA_BYTE, address + index);
    }

    @Override
    protected short _getShort(int index) {
        return MEMORY.get(SHORT_BE, address + index);
    }

    @Override
    protected short _getShortLE(int index) {
        return MEMORY.get(SHORT_LE, address + index);
    }

    @Override
    protected int _getUnsignedMedium(int index) {
        long a = address + index;
        return (MEMORY.get(ValueLayout.JAVA_BYTE, a) & 0xff) << 16 | (MEMORY.get(SHORT_BE, a + 1) & 0xffff);
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        long a = address + index;
        return (MEMORY.get(SHORT_LE, a) & 0xffff) | (MEMORY.get(ValueLayout.JAVA_BYTE, a + 2) & 0xff) << 16;
    }

    @Override
    protected int _getInt(int index) {
        return MEMORY.get(INT_BE, address + index);
    }

    @Override
    protected int _getIntLE(int index) {
        return MEMORY.get(INT_LE, address + index);
    }

    @Override
    protected long _getLong(int index) {
        return MEMORY.get(LONG_BE, address + index);
    }

    @Override
    protected long _getLongLE(int index) {
        return MEMORY.get(LONG_LE, address + index);
    }

    @Override
    protected void _setByte(int index, int value) {
        MEMORY.set(ValueLayout.JAVA_BYTE, address + index, (byte) value);
    }

    @Override
    protected void _setShort(int index, int value) {
        MEMORY.set(SHORT_BE, address + index, (short) value);
    }

    @Override
    protected void _setShortLE(int index, int value) {
        MEMORY.set(SHORT_LE, address + index, (short) value);
    }

    @Override
    protected void _setMedium(int index, int value) {
        long a = address + index;
        MEMORY.set(ValueLayout.JAVA_BYTE, a, (byte) (value >>> 16));
        MEMORY.set(SHORT_BE, a + 1, (short) value);
    }

    @Override
    protected void _setMediumLE(int index, int value) {
        long a = address + index;
        MEMORY.set(SHORT_LE, a, (short) value);
        MEMORY.set(ValueLayout.JAVA_BYTE, a + 2, (byte) (value >>> 16));
    }

    @Override
    protected void _setInt(int index, int value) {
        MEMORY.set(INT_BE, address + index, value);
    }

    @Override
    protected void _setIntLE(int index, int value) {
        MEMORY.set(INT_LE, address + index, value);
    }

    @Override
    protected void _setLong(int index, long value) {
        MEMORY.set(LONG_BE, address + index, value);
    }

    @Override
    protected void _setLongLE(int index, long value) {
        MEMORY.set(LONG_LE, address + index, value);
    }

    // Bulk transfers: checked here (Netty's checks also refuse a released buffer), then one copy.

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        if (length == 0) return this;
        if (dst.hasMemoryAddress()) {
            MemorySegment.copy(MEMORY, address + index, MEMORY, dst.memoryAddress() + dstIndex, length);
        } else if (dst.hasArray()) {
            MemorySegment.copy(MEMORY, ValueLayout.JAVA_BYTE, address + index, dst.array(),
                    dst.arrayOffset() + dstIndex, length);
        } else {
            dst.setBytes(dstIndex, this, index, length); // a composite or wrapped buffer: let it pull from us
        }
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.length);
        MemorySegment.copy(MEMORY, ValueLayout.JAVA_BYTE, address + index, dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        int length = dst.remaining();
        checkIndex(index, length);
        if (dst.isReadOnly()) throw new ReadOnlyBufferException();
        MemorySegment.copy(MEMORY, address + index, MemorySegment.ofBuffer(dst), 0, length);
        dst.position(dst.position() + length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        checkIndex(index, length);
        byte[] chunk = new byte[Math.min(length, STREAM_CHUNK)];
        for (int done = 0; done < length; ) {
            int n = Math.min(chunk.length, length - done);
            MemorySegment.copy(MEMORY, ValueLayout.JAVA_BYTE, address + index + done, chunk, 0, n);
            out.write(chunk, 0, n);
            done += n;
        }
        return this;
    }

    @Override
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        checkIndex(index, length);
        return length == 0 ? 0 : out.write(newView(index, length));
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        checkIndex(index, length);
        return length == 0 ? 0 : out.write(newView(index, length), position);
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.capacity());
        if (length == 0) return this;
        if (src.hasMemoryAddress()) {
            MemorySegment.copy(MEMORY, src.memoryAddress() + srcIndex, MEMORY, address + index, length);
        } else if (src.hasArray()) {
            MemorySegment.copy(src.array(), src.arrayOffset() + srcIndex, MEMORY, ValueLayout.JAVA_BYTE,
                    address + index, length);
        } else {
            src.getBytes(srcIndex, this, index, length); // a composite or wrapped buffer: let it push to us
        }
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.length);
        MemorySegment.copy(src, srcIndex, MEMORY, ValueLayout.JAVA_BYTE, address + index, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        int length = src.remaining();
        checkIndex(index, length);
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, MEMORY, address + index, length);
        src.position(src.position() + length);
        return this;
    }

    /** One read of the stream, as Netty's buffers do; -1 at its end. */
    @Override
    public int setBytes(int index, InputStream in, int length) throws IOException {
        checkIndex(index, length);
        byte[] chunk = new byte[length];
        int n = in.read(chunk, 0, length);
        if (n > 0) MemorySegment.copy(chunk, 0, MEMORY, ValueLayout.JAVA_BYTE, address + index, n);
        return n;
    }

    /** One read of the channel; -1 if it is closed. */
    @Override
    public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(internalNioBuffer(index, length));
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(internalNioBuffer(index, length), position);
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public ByteBuf copy(int index, int length) {
        checkIndex(index, length);
        ByteBuf copy = alloc.directBuffer(length, maxCapacity());
        return copy.writeBytes(this, index, length);
    }

    @Override
    public int nioBufferCount() {
        return 1;
    }

    /** A new view of {@code length} bytes from {@code index}: its own position and limit, the same memory. */
    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        checkIndex(index, length);
        return newView(index, length);
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        return new ByteBuffer[] {nioBuffer(index, length)};
    }

    /** The buffer's one reusable view, positioned on {@code index .. index + length} (not thread-safe, as in Netty). */
    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        checkIndex(index, length);
        ByteBuffer v = view;
        if (v == null) view = v = MemorySegment.ofAddress(address).reinterpret(capacity).asByteBuffer();
        return v.clear().position(index).limit(index + length);
    }

    private ByteBuffer newView(int index, int length) {
        return MemorySegment.ofAddress(address + index).reinterpret(length).asByteBuffer();
    }
}
