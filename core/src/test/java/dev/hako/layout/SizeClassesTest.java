package dev.hako.layout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The size-class table, the size -> class mapping and the block-start check, checked against plain arithmetic. */
class SizeClassesTest {

    @Test
    void shouldHave128SmallClassesIn16ByteSteps() {
        assertEquals(128, SizeClasses.SMALL_CLASSES);
        assertEquals(2048, SizeClasses.SMALL_MAX);
        for (int c = 0; c < SizeClasses.SMALL_CLASSES; c++) assertEquals(16 * (c + 1), SizeClasses.size(c), "class " + c);
    }

    @Test
    void shouldHave20MediumClassesUpTo64KiBFourPerDoubling() {
        assertEquals(SizeClasses.SMALL_CLASSES + 20, SizeClasses.COUNT);
        assertEquals(64 * 1024, SizeClasses.MAX_SIZE);
        assertEquals(SizeClasses.MAX_SIZE, SizeClasses.size(SizeClasses.COUNT - 1));
        int previous = SizeClasses.SMALL_MAX;
        for (int c = SizeClasses.SMALL_CLASSES; c < SizeClasses.COUNT; c++) {
            int size = SizeClasses.size(c);
            assertTrue(size > previous, "class " + c + " grows");
            assertEquals(0, size % 512, "class " + c + " is a multiple of 512");
            previous = size;
        }
        // four classes per doubling: 4 KiB, 8 KiB, 16 KiB, 32 KiB and 64 KiB are classes, four apart
        for (int c = SizeClasses.SMALL_CLASSES + 3; c + 4 < SizeClasses.COUNT; c += 4) {
            assertEquals(2 * SizeClasses.size(c), SizeClasses.size(c + 4), "doubling after class " + c);
        }
    }

    @Test
    void everyClassShouldBeA16ByteMultipleSoEveryBlockIs16ByteAligned() {
        for (int c = 0; c < SizeClasses.COUNT; c++) assertEquals(0, SizeClasses.size(c) % 16, "class " + c);
        assertEquals(0, SizeClasses.PAGE % 16);
    }

    @Test
    void shouldMapEverySizeToTheSmallestClassThatHoldsIt() {
        int expected = 0;
        for (long size = 1; size <= SizeClasses.MAX_SIZE; size++) {
            while (SizeClasses.size(expected) < size) expected++;
            int c = SizeClasses.classOf(size);
            if (c != expected) fail("classOf(" + size + ") = " + c + ", expected " + expected);
        }
    }

    @Test
    void shouldPlaceClassBoundariesExactly() {
        assertEquals(0, SizeClasses.classOf(1));
        assertEquals(0, SizeClasses.classOf(16));
        assertEquals(1, SizeClasses.classOf(17));
        assertEquals(127, SizeClasses.classOf(2047));
        assertEquals(127, SizeClasses.classOf(2048));
        assertEquals(128, SizeClasses.classOf(2049));
        assertEquals(2560, SizeClasses.size(SizeClasses.classOf(2049)));
        assertEquals(2560, SizeClasses.size(SizeClasses.classOf(2560)));
        assertEquals(3072, SizeClasses.size(SizeClasses.classOf(2561)));
        assertEquals(SizeClasses.COUNT - 1, SizeClasses.classOf(57345));
        assertEquals(SizeClasses.COUNT - 1, SizeClasses.classOf(65536));
    }

    @Test
    void shouldCarveWholeBlocksFromAPageAndRefillInBoundedBatches() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int size = SizeClasses.size(c);
            int blocks = SizeClasses.blocksPerPage(c);
            assertEquals(SizeClasses.PAGE / size, blocks, "class " + c);
            assertTrue(blocks >= 1 && (long) blocks * size <= SizeClasses.PAGE, "class " + c);
            int batch = SizeClasses.refillBatch(c);
            assertTrue(batch >= 1 && batch <= 64 && batch <= blocks, "class " + c + " batch " + batch);
            assertTrue(batch == 1 || (long) batch * size <= 32 * 1024, "class " + c + " batch bytes");
        }
    }

    /** Lemire's divisibility test against {@code %}, for every class and every offset of a page. */
    @Test
    void isBlockStartShouldAgreeWithModuloForEveryClassAndOffset() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long size = SizeClasses.size(c);
            long blocks = SizeClasses.blocksPerPage(c);
            int hits = 0;
            for (long offset = 0; offset < SizeClasses.PAGE; offset++) {
                boolean expected = offset % size == 0 && offset / size < blocks;
                boolean actual = SizeClasses.isBlockStart(c, offset);
                if (actual != expected) fail("class " + c + " (" + size + " B) offset " + offset + ": " + actual);
                if (actual) hits++;
            }
            assertEquals(blocks, hits, "class " + c + " has exactly one start per block");
        }
    }

    /** The free path tests the tag's slot ({@code class + 1}) directly: slot 0 (uncarved) and unused slots never match. */
    @Test
    void isBlockStartForCodeShouldNeverMatchSlotZeroOrUnusedSlots() {
        for (int slot = 0; slot < 256; slot++) {
            if (slot >= 1 && slot <= SizeClasses.COUNT) continue;
            for (long offset = 0; offset < SizeClasses.PAGE; offset++) {
                if (SizeClasses.isBlockStartForCode(slot, offset)) fail("slot " + slot + " offset " + offset);
            }
        }
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            for (long offset = 0; offset < SizeClasses.PAGE; offset += 16) {
                assertEquals(SizeClasses.isBlockStart(c, offset), SizeClasses.isBlockStartForCode(c + 1, offset));
                // only the low 8 bits of a slot count (the free path masks the tag)
                assertEquals(SizeClasses.isBlockStart(c, offset), SizeClasses.isBlockStartForCode(c + 1 + 256, offset));
            }
        }
    }

    @Test
    void alignedClassOfShouldPickTheSmallestAlignedClassForEveryPowerOfTwo() {
        for (long alignment = 1; alignment <= 4 * SizeClasses.PAGE; alignment <<= 1) {
            for (long size = 1; size <= SizeClasses.MAX_SIZE + 1; size += (size < 4200 ? 1 : 37)) {
                int expected = -1;
                if (alignment <= SizeClasses.PAGE) {
                    for (int c = 0; c < SizeClasses.COUNT; c++) {
                        if (SizeClasses.size(c) >= size && SizeClasses.size(c) % alignment == 0) {
                            expected = c;
                            break;
                        }
                    }
                }
                int actual = SizeClasses.alignedClassOf(size, alignment);
                if (actual != expected) {
                    fail("alignedClassOf(" + size + ", " + alignment + ") = " + actual + ", expected " + expected);
                }
            }
        }
    }

    @Test
    void alignedClassOfShouldRejectSizesAboveTheLargestClass() {
        assertEquals(-1, SizeClasses.alignedClassOf(SizeClasses.MAX_SIZE + 1, 32));
        assertEquals(-1, SizeClasses.alignedClassOf(Long.MAX_VALUE, 32));
        assertEquals(-1, SizeClasses.alignedClassOf(16, SizeClasses.PAGE * 2));
        assertEquals(-1, SizeClasses.alignedClassOf(16, 1L << 62));
        assertEquals(SizeClasses.COUNT - 1, SizeClasses.alignedClassOf(1, SizeClasses.PAGE));
    }
}
