package dev.hako;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.hako.TestHako.assertBalanced;
import static dev.hako.TestHako.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HakoArena} against the contract of {@link Arena} and {@link java.lang.foreign.SegmentAllocator} as their
 * javadoc states it (and as {@code Arena.ofConfined()}/{@code ofShared()} behave), for both kinds: alignment,
 * zeroing (of reused blocks too), scope liveness, confinement, close rules, bad arguments, many and huge
 * allocations, the {@code allocateFrom} family; and Hako's side: every block is back when the arena is closed.
 * Runs again in checked mode (tag {@code checked-too}), where a block freed twice would throw.
 */
@Tag("checked-too")
class HakoArenaTest {

    enum Kind {
        CONFINED(HakoArena::ofConfined, Arena::ofConfined),
        SHARED(HakoArena::ofShared, Arena::ofShared);

        final Function<HakoAllocator, HakoArena> open;
        /** The JDK's arena of the same kind, to show it behaves alike. */
        final Supplier<Arena> jdk;

        Kind(Function<HakoAllocator, HakoArena> open, Supplier<Arena> jdk) {
            this.open = open;
            this.jdk = jdk;
        }
    }

    private HakoAllocator hako;

    @BeforeEach
    void setUp() {
        hako = TestHako.create();
    }

    @AfterEach
    void tearDown() {
        hako.close();
    }

    // ---------------------------------------------------------------- allocate: size, alignment, zeroing

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldHonourSizeAndAlignment(Kind kind) {
        long[] sizes = {0, 1, 7, 16, 24, 100, 1000, 4096, 65_536, 100_000};
        try (HakoArena arena = kind.open.apply(hako)) {
            for (long alignment = 1; alignment <= 1L << 20; alignment <<= 1) {
                for (long size : sizes) {
                    MemorySegment s = arena.allocate(size, alignment);
                    assertEquals(size, s.byteSize());
                    assertEquals(0, s.address() % alignment,
                            () -> "address " + hex(s.address()) + " for alignment " + s.byteSize());
                    assertTrue(s.isNative());
                    assertFalse(s.isReadOnly());
                }
            }
        }
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldHonourLayoutAlignment(Kind kind) {
        MemoryLayout struct = MemoryLayout.structLayout(ValueLayout.JAVA_INT, MemoryLayout.paddingLayout(60),
                ValueLayout.JAVA_LONG.withByteAlignment(64));
        try (HakoArena arena = kind.open.apply(hako)) {
            for (int i = 0; i < 100; i++) {
                MemorySegment s = arena.allocate(struct);
                assertEquals(struct.byteSize(), s.byteSize());
                assertEquals(0, s.address() % 64);
                assertDoesNotThrow(() -> s.get(ValueLayout.JAVA_LONG.withByteAlignment(64), 64));
            }
            MemorySegment array = arena.allocate(ValueLayout.JAVA_DOUBLE, 1000);
            assertEquals(8000, array.byteSize());
            assertEquals(0, array.address() % 8);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldZeroEveryAllocationIncludingReusedBlocks(Kind kind) {
        long[] sizes = {1, 8, 16, 40, 64, 100, 256, 1000, 2048, 3000, 4096, 4100, 20_000, 65_536, 100_000};
        long[] alignments = {1, 8, 16, 64, 4096};
        Set<Long> firstRound = new HashSet<>();
        try (HakoArena arena = kind.open.apply(hako)) {
            for (long size : sizes) {
                for (long alignment : alignments) {
                    MemorySegment s = arena.allocate(size, alignment);
                    s.fill((byte) 0xA5); // what the next user of this block would see without zeroing
                    firstRound.add(s.address());
                }
            }
        }
        int reused = 0;
        try (HakoArena arena = kind.open.apply(hako)) {
            for (long size : sizes) {
                for (long alignment : alignments) {
                    MemorySegment s = arena.allocate(size, alignment);
                    if (firstRound.contains(s.address())) reused++;
                    assertEquals(-1, s.mismatch(MemorySegment.ofArray(new byte[(int) size])),
                            () -> "not zeroed: " + s.byteSize() + " bytes at " + hex(s.address()));
                }
            }
        }
        // The test means something only if blocks did come back (Hako's bins are LIFO, so most should).
        assertTrue(reused > sizes.length, "only " + reused + " blocks were reused");
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldHandOutUninitializedBlocksOfTheRightShape(Kind kind) {
        try (HakoArena arena = kind.open.apply(hako)) {
            for (long size : new long[] {0, 1, 33, 256, 70_000}) {
                MemorySegment s = arena.allocateUninitialized(size, 64);
                assertEquals(size, s.byteSize());
                assertEquals(0, s.address() % 64);
                assertSame(arena.scope(), s.scope());
                s.fill((byte) 7); // writable over its whole length
            }
            assertEquals(16, arena.allocateUninitialized(16).byteSize());
        }
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldGiveZeroByteRequestsUniqueNonZeroAddresses(Kind kind) {
        Set<Long> addresses = new HashSet<>();
        try (HakoArena arena = kind.open.apply(hako)) {
            for (int i = 0; i < 1000; i++) {
                MemorySegment s = arena.allocate(0);
                assertEquals(0, s.byteSize());
                assertNotEquals(0, s.address());
                assertTrue(addresses.add(s.address()), () -> "address handed out twice: " + hex(s.address()));
                MemorySegment aligned = arena.allocate(0, 256);
                assertEquals(0, aligned.address() % 256);
                assertTrue(addresses.add(aligned.address()));
            }
        }
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectBadSizesAndAlignments(Kind kind) {
        try (HakoArena arena = kind.open.apply(hako); Arena jdk = kind.jdk.get()) {
            for (Arena a : List.<Arena>of(arena, jdk)) {
                assertThrows(IllegalArgumentException.class, () -> a.allocate(-1));
                assertThrows(IllegalArgumentException.class, () -> a.allocate(-1, 8));
                for (long bad : new long[] {0, -1, -16, 3, 24, 1000}) {
                    assertThrows(IllegalArgumentException.class, () -> a.allocate(8, bad), "alignment " + bad);
                }
                assertThrows(IllegalArgumentException.class, () -> a.allocate(ValueLayout.JAVA_INT, -1));
            }
            assertThrows(IllegalArgumentException.class, () -> arena.allocateUninitialized(-5, 8));
            assertThrows(IllegalArgumentException.class, () -> arena.allocateUninitialized(8, 12));
            // Hako's limits, documented: rejected rather than attempted.
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, HakoAllocator.MAX_ALIGNMENT * 2));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(HakoAllocator.MAX_ALLOCATION + 1));
            // Still usable after every refusal.
            assertEquals(42, arena.allocateFrom(ValueLayout.JAVA_INT, 42).get(ValueLayout.JAVA_INT, 0));
        }
        assertBalanced(hako, 0);
    }

    // ---------------------------------------------------------------- scope and close

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldBindSegmentsToTheArenaScope(Kind kind) {
        HakoArena arena = kind.open.apply(hako);
        MemorySegment small = arena.allocate(64);
        MemorySegment large = arena.allocate(1 << 20);
        MemorySegment from = arena.allocateFrom("hello");
        MemorySegment slice = small.asSlice(8, 8);
        for (MemorySegment s : List.of(small, large, from, slice)) {
            assertSame(arena.scope(), s.scope());
            assertTrue(s.scope().isAlive());
        }
        small.set(ValueLayout.JAVA_LONG, 0, 1);
        arena.close();
        assertFalse(arena.scope().isAlive());
        for (MemorySegment s : List.of(small, large, from, slice)) {
            assertFalse(s.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0), "read after close");
            assertThrows(IllegalStateException.class, () -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 1),
                    "write after close");
            assertThrows(IllegalStateException.class, () -> s.fill((byte) 0));
            assertThrows(IllegalStateException.class, () -> s.asByteBuffer().get(0));
        }
        assertThrows(IllegalStateException.class, () -> MemorySegment.copy(small, 0, MemorySegment.ofArray(new byte[8]), 0, 8));
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldGiveEachArenaItsOwnScope(Kind kind) {
        HakoArena a = kind.open.apply(hako);
        HakoArena b = kind.open.apply(hako);
        assertNotEquals(a.scope(), b.scope());
        MemorySegment sa = a.allocate(16);
        MemorySegment sb = b.allocate(16);
        a.close();
        assertThrows(IllegalStateException.class, () -> sa.get(ValueLayout.JAVA_BYTE, 0));
        assertTrue(sb.scope().isAlive(), "closing one arena leaves the other open");
        assertEquals(0, sb.get(ValueLayout.JAVA_BYTE, 0));
        b.close();
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectASecondClose(Kind kind) {
        HakoArena arena = kind.open.apply(hako);
        arena.allocate(32);
        arena.close();
        assertThrows(IllegalStateException.class, arena::close);
        Arena jdk = kind.jdk.get();
        jdk.close();
        assertThrows(IllegalStateException.class, jdk::close, "the JDK's arenas agree");
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectAllocationAfterClose(Kind kind) {
        HakoArena arena = kind.open.apply(hako);
        arena.close();
        assertThrows(IllegalStateException.class, () -> arena.allocate(16));
        assertThrows(IllegalStateException.class, () -> arena.allocate(0));
        assertThrows(IllegalStateException.class, () -> arena.allocate(16, 64));
        assertThrows(IllegalStateException.class, () -> arena.allocate(1 << 20));
        assertThrows(IllegalStateException.class, () -> arena.allocateUninitialized(16));
        assertThrows(IllegalStateException.class, () -> arena.allocateFrom(ValueLayout.JAVA_INT, 1));
        assertThrows(IllegalStateException.class, () -> arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3));
        assertThrows(IllegalStateException.class, () -> arena.allocateFrom("text"));
        assertEquals(0, hako.audit().liveBlocks(), "a refused allocation holds no block");
    }

    /**
     * A close while a downcall holds the scope fails, as the JDK's does, and leaves the arena open and intact:
     * qsort sorts a segment of the arena and its comparator (an upcall) tries to close the arena.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldStayOpenWhenCloseFailsBecauseADowncallHoldsTheScope(Kind kind) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS));
        HakoArena arena = kind.open.apply(hako);
        RuntimeException[] refused = new RuntimeException[1];
        boolean[] tried = new boolean[1];
        MethodHandle compare = MethodHandles.lookup().findStatic(HakoArenaTest.class, "compareInts",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        MethodHandle closing = MethodHandles.filterReturnValue(compare, MethodHandles.dropArguments(
                MethodHandles.insertArguments(MethodHandles.lookup().findStatic(HakoArenaTest.class, "tryClose",
                        MethodType.methodType(int.class, HakoArena.class, RuntimeException[].class, boolean[].class,
                                int.class)), 0, arena, refused, tried), 1));
        try (Arena upcalls = Arena.ofConfined()) {
            MemorySegment comparator = linker.upcallStub(closing, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT),
                    ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT)), upcalls);
            MemorySegment ints = arena.allocateFrom(ValueLayout.JAVA_INT, 5, 3, 9, 1, 7);
            qsort.invokeExact(ints, 5L, 4L, comparator);
            assertArrayEquals(new int[] {1, 3, 5, 7, 9}, ints.toArray(ValueLayout.JAVA_INT));
            assertTrue(tried[0]);
            assertTrue(refused[0] instanceof IllegalStateException, "close during the downcall: " + refused[0]);
            assertTrue(arena.scope().isAlive(), "the arena stays open");
            assertEquals(9, ints.getAtIndex(ValueLayout.JAVA_INT, 4));
            assertEquals(4, arena.allocate(ValueLayout.JAVA_INT).byteSize(), "and still allocates");
        }
        arena.close();
        assertFalse(arena.scope().isAlive());
        assertBalanced(hako, 0);
    }

    static int compareInts(MemorySegment a, MemorySegment b) {
        return Integer.compare(a.get(ValueLayout.JAVA_INT, 0), b.get(ValueLayout.JAVA_INT, 0));
    }

    /** Returns {@code result}; the first time, tries to close {@code arena} and keeps what it threw. */
    static int tryClose(HakoArena arena, RuntimeException[] refused, boolean[] tried, int result) {
        if (!tried[0]) {
            tried[0] = true;
            try {
                arena.close();
            } catch (RuntimeException e) {
                refused[0] = e;
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- threads

    @Test
    void shouldConfineAConfinedArenaToItsThread() throws Exception {
        HakoArena arena = HakoArena.ofConfined(hako);
        MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_LONG, 77);
        assertTrue(s.isAccessibleBy(Thread.currentThread()));
        try (OtherThread other = new OtherThread("foreign")) {
            assertFalse(s.isAccessibleBy(other.thread()));
            assertThrows(WrongThreadException.class, () -> other.run(() -> arena.allocate(16)));
            assertThrows(WrongThreadException.class, () -> other.run(() -> arena.allocateUninitialized(16)));
            assertThrows(WrongThreadException.class, () -> other.run(() -> s.get(ValueLayout.JAVA_LONG, 0)));
            assertThrows(WrongThreadException.class, () -> other.run(arena::close), "close from a foreign thread");
        }
        // The refused calls changed nothing: the arena is open, its segment intact, and it closes normally.
        assertTrue(arena.scope().isAlive());
        assertEquals(77, s.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(1, hako.audit().liveBlocks(), "the foreign allocations took no block");
        arena.close();
        assertBalanced(hako, 0);
    }

    @Test
    void shouldLetAnyThreadUseAndCloseASharedArena() throws Exception {
        HakoArena arena = HakoArena.ofShared(hako);
        MemorySegment mine = arena.allocateFrom(ValueLayout.JAVA_LONG, 5);
        MemorySegment[] theirs = new MemorySegment[1];
        try (OtherThread other = new OtherThread("sharer")) {
            assertTrue(mine.isAccessibleBy(other.thread()));
            assertEquals(5, other.call(() -> mine.get(ValueLayout.JAVA_LONG, 0)));
            other.run(() -> theirs[0] = arena.allocateFrom(ValueLayout.JAVA_LONG, 6));
            assertEquals(6, theirs[0].get(ValueLayout.JAVA_LONG, 0));
            other.run(arena::close);
            assertThrows(IllegalStateException.class, () -> theirs[0].get(ValueLayout.JAVA_LONG, 0));
            assertThrows(IllegalStateException.class, () -> other.run(arena::close));
        }
        assertThrows(IllegalStateException.class, arena::close);
        assertBalanced(hako, 0);
    }

    // ---------------------------------------------------------------- volume

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepManySmallAllocationsDistinctAndIntact(Kind kind) {
        int count = 50_000;
        Random random = new Random(kind.ordinal() * 31L + 7);
        long[] address = new long[count];
        long[] size = new long[count];
        try (HakoArena arena = kind.open.apply(hako)) {
            MemorySegment[] segments = new MemorySegment[count];
            for (int i = 0; i < count; i++) {
                size[i] = 1 + random.nextInt(256);
                segments[i] = random.nextBoolean() ? arena.allocate(size[i]) : arena.allocate(size[i], 1L << random.nextInt(8));
                address[i] = segments[i].address();
                segments[i].fill((byte) i);
            }
            for (int i = 0; i < count; i++) {
                byte expected = (byte) i;
                MemorySegment s = segments[i];
                for (long off = 0; off < size[i]; off++) {
                    assertEquals(expected, s.get(ValueLayout.JAVA_BYTE, off), "segment " + i + " overwritten");
                }
            }
            assertNoOverlap(address, size);
            assertEquals(count, hako.audit().liveBlocks());
        }
        assertBalanced(hako, 0);
    }

    /** Arenas opened and closed in random order on one thread (their block lists pass arrays to each other). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepInterleavedArenasApart(Kind kind) {
        Random random = new Random(kind.ordinal() + 99);
        List<HakoArena> open = new ArrayList<>();
        List<List<MemorySegment>> segments = new ArrayList<>();
        int nextId = 0;
        List<Integer> ids = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int action = random.nextInt(100);
            if (open.isEmpty() || (action < 3 && open.size() < 8)) {
                open.add(kind.open.apply(hako));
                segments.add(new ArrayList<>());
                ids.add(nextId++);
            } else if (action < 6) {
                int i = random.nextInt(open.size());
                int id = ids.get(i);
                List<MemorySegment> mine = segments.get(i);
                for (int j = 0; j < mine.size(); j++) {
                    assertEquals(id * 1_000_003L + j, mine.get(j).get(ValueLayout.JAVA_LONG, 0), "arena " + id);
                }
                open.remove(i).close();
                segments.remove(i);
                ids.remove(i);
                for (MemorySegment s : mine) assertFalse(s.scope().isAlive());
            } else {
                int i = random.nextInt(open.size());
                MemorySegment s = open.get(i).allocate(8 + random.nextInt(120), 8);
                s.set(ValueLayout.JAVA_LONG, 0, ids.get(i) * 1_000_003L + segments.get(i).size());
                segments.get(i).add(s);
            }
        }
        long live = segments.stream().mapToLong(List::size).sum();
        assertEquals(live, hako.audit().liveBlocks());
        for (HakoArena a : open) a.close();
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldAllocateHugeSegments(Kind kind) {
        long huge = 8L << 20;
        try (HakoArena arena = kind.open.apply(hako)) {
            for (int round = 0; round < 3; round++) {
                MemorySegment s = arena.allocate(huge);
                assertEquals(huge, s.byteSize());
                assertEquals(0, s.get(ValueLayout.JAVA_LONG, 0));
                assertEquals(0, s.get(ValueLayout.JAVA_LONG, huge / 2));
                assertEquals(0, s.get(ValueLayout.JAVA_LONG, huge - 8));
                s.set(ValueLayout.JAVA_LONG, huge - 8, -1);
                MemorySegment aligned = arena.allocate(100_000, 1 << 16);
                assertEquals(0, aligned.address() % (1 << 16));
                assertEquals(-1, aligned.mismatch(MemorySegment.ofArray(new byte[100_000])));
            }
        }
        assertBalanced(hako, 0);
    }

    // ---------------------------------------------------------------- allocateFrom and friends

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldAllocateFromValues(Kind kind) {
        try (HakoArena arena = kind.open.apply(hako)) {
            assertEquals((byte) -3, arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) -3).get(ValueLayout.JAVA_BYTE, 0));
            assertEquals('x', arena.allocateFrom(ValueLayout.JAVA_CHAR, 'x').get(ValueLayout.JAVA_CHAR, 0));
            assertEquals((short) 300, arena.allocateFrom(ValueLayout.JAVA_SHORT, (short) 300).get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(1 << 30, arena.allocateFrom(ValueLayout.JAVA_INT, 1 << 30).get(ValueLayout.JAVA_INT, 0));
            assertEquals(1.5f, arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1.5f).get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(-1L << 40, arena.allocateFrom(ValueLayout.JAVA_LONG, -1L << 40).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(2.25, arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 2.25).get(ValueLayout.JAVA_DOUBLE, 0));
            MemorySegment target = arena.allocate(8);
            MemorySegment pointer = arena.allocateFrom(ValueLayout.ADDRESS, target);
            assertEquals(target.address(), pointer.get(ValueLayout.ADDRESS, 0).address());
            assertThrows(NullPointerException.class, () -> arena.allocateFrom(ValueLayout.ADDRESS, null));
            assertThrows(IllegalArgumentException.class,
                    () -> arena.allocateFrom(ValueLayout.ADDRESS, MemorySegment.ofArray(new byte[8])));
            // Byte order and size come from the layout.
            MemorySegment big = arena.allocateFrom(ValueLayout.JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 1);
            assertEquals(4, big.byteSize());
            assertEquals(1, big.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals(0, arena.allocateFrom(ValueLayout.JAVA_LONG.withByteAlignment(64), 9).address() % 64);
        }
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldAllocateFromArraysAndSegments(Kind kind) {
        try (HakoArena arena = kind.open.apply(hako)) {
            byte[] bytes = {1, 2, 3, 4, 5};
            assertArrayEquals(bytes, arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes).toArray(ValueLayout.JAVA_BYTE));
            short[] shorts = {1, -2, 3};
            assertArrayEquals(shorts, arena.allocateFrom(ValueLayout.JAVA_SHORT, shorts).toArray(ValueLayout.JAVA_SHORT));
            char[] chars = "chars".toCharArray();
            assertArrayEquals(chars, arena.allocateFrom(ValueLayout.JAVA_CHAR, chars).toArray(ValueLayout.JAVA_CHAR));
            int[] ints = new Random(3).ints(1000).toArray();
            assertArrayEquals(ints, arena.allocateFrom(ValueLayout.JAVA_INT, ints).toArray(ValueLayout.JAVA_INT));
            float[] floats = {0.5f, -1f};
            assertArrayEquals(floats, arena.allocateFrom(ValueLayout.JAVA_FLOAT, floats).toArray(ValueLayout.JAVA_FLOAT));
            long[] longs = new Random(4).longs(20_000).toArray(); // 160 KB: a large block
            assertArrayEquals(longs, arena.allocateFrom(ValueLayout.JAVA_LONG, longs).toArray(ValueLayout.JAVA_LONG));
            double[] doubles = {Math.PI, Math.E};
            assertArrayEquals(doubles, arena.allocateFrom(ValueLayout.JAVA_DOUBLE, doubles).toArray(ValueLayout.JAVA_DOUBLE));
            assertEquals(0, arena.allocateFrom(ValueLayout.JAVA_INT).byteSize(), "an empty array");

            // From another segment, with a byte swap, as the default implementation's copy does.
            MemorySegment source = MemorySegment.ofArray(new int[] {0x01020304, 0x05060708, 9});
            MemorySegment swapped = arena.allocateFrom(ValueLayout.JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                    source, ValueLayout.JAVA_INT, 4, 2);
            assertEquals(8, swapped.byteSize());
            assertEquals(0x08070605, swapped.get(ValueLayout.JAVA_INT, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> arena.allocateFrom(ValueLayout.JAVA_INT, source, ValueLayout.JAVA_INT, 0, -1));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> arena.allocateFrom(ValueLayout.JAVA_INT, source, ValueLayout.JAVA_INT, 4, 3));
            assertThrows(IllegalArgumentException.class,
                    () -> arena.allocateFrom(ValueLayout.JAVA_INT, source, ValueLayout.JAVA_LONG, 0, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> arena.allocateFrom(ValueLayout.JAVA_INT.withByteAlignment(8), 1, 2));
        }
        assertBalanced(hako, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "héllo wörld ✓", "embedded\0nul"})
    void shouldAllocateFromStrings(String text) {
        for (Kind kind : Kind.values()) {
            try (HakoArena arena = kind.open.apply(hako)) {
                MemorySegment utf8 = arena.allocateFrom(text);
                byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
                assertEquals(encoded.length + 1, utf8.byteSize());
                assertArrayEquals(encoded, utf8.asSlice(0, encoded.length).toArray(ValueLayout.JAVA_BYTE));
                assertEquals(0, utf8.get(ValueLayout.JAVA_BYTE, encoded.length), "terminator");
                assertEquals(text.split("\0", -1)[0], utf8.getString(0));
                MemorySegment utf16 = arena.allocateFrom(text, StandardCharsets.UTF_16LE);
                assertEquals(text.length() * 2L + 2, utf16.byteSize());
                assertEquals(text.split("\0", -1)[0], utf16.getString(0, StandardCharsets.UTF_16LE));
            }
        }
        assertBalanced(hako, 0);
    }

    // ---------------------------------------------------------------- the process-wide allocator

    @Test
    void shouldDrawFromTheProcessWideAllocatorByDefault() {
        try (HakoArena confined = HakoArena.ofConfined(); HakoArena shared = HakoArena.ofShared()) {
            assertSame(Hako.global(), confined.allocator());
            assertSame(Hako.global(), shared.allocator());
            MemorySegment a = confined.allocate(ValueLayout.JAVA_LONG);
            MemorySegment b = shared.allocate(ValueLayout.JAVA_LONG);
            assertEquals(16, Hako.usableSize(a.address()), "a block of Hako's 16-byte class");
            assertEquals(16, Hako.usableSize(b.address()));
        }
    }

    // ---------------------------------------------------------------- helpers

    static void assertNoOverlap(long[] address, long[] size) {
        Integer[] order = new Integer[address.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(address[x], address[y]));
        for (int k = 1; k < order.length; k++) {
            int prev = order[k - 1];
            int cur = order[k];
            assertTrue(address[prev] + Math.max(1, size[prev]) <= address[cur],
                    () -> "segments overlap: " + hex(address[prev]) + "+" + size[prev] + " and " + hex(address[cur]));
        }
    }
}
