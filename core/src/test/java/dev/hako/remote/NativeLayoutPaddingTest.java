package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Padding you can see (style anchors, item 8): the native rows and regions of the strategies are 128-byte
 * multiples, and words that different sets of threads write sit at least 128 bytes apart, as their descriptors say.
 */
class NativeLayoutPaddingTest {

    @Test
    void batchRowsShouldBe128ByteMultiplesHoldingEveryClassGroup() {
        assertEquals(0, BatchLayout.ROW % 128);
        assertTrue(BatchLayout.GROUPS + SizeClasses.COUNT * BatchLayout.GROUP <= BatchLayout.ROW);
        assertTrue(BatchLayout.MASK + BatchLayout.MASK_WORDS * 8L <= BatchLayout.GROUPS, "mask before the groups");
        assertTrue(BatchLayout.COUNT + 4 <= BatchLayout.GROUP, "group fields fit the group");
    }

    @Test
    void inboxRowsShouldBe128ByteMultiples() {
        assertEquals(0, InboxLayout.ROW % 128);
        assertTrue(InboxLayout.USED <= InboxLayout.ROW);
        assertEquals(InboxLayout.ENTRIES + InboxLayout.CAPACITY * InboxLayout.ENTRY, InboxLayout.TABLE);
    }

    @Test
    void parcelRegionsShouldKeepSharedWordsOnTheirOwnLines() {
        for (int owners : new int[] {1, 3, 4, 63, 64, 1023, 1024}) {
            assertEquals(0, ParcelLayout.regionBytes(owners) % 128, "region for " + owners + " owners");
            assertTrue(ParcelLayout.OPEN + 8L * (owners + 1) <= ParcelLayout.regionBytes(owners));
        }
        // INBOUND/LOOSE (producers -> owner), RETURNS (owners -> producer), private state: separate 128-byte lines
        assertEquals(0, ParcelLayout.INBOUND % 128);
        assertTrue(ParcelLayout.LOOSE < 128);
        assertEquals(128, ParcelLayout.RETURNS - ParcelLayout.INBOUND);
        assertEquals(128, ParcelLayout.FREE - ParcelLayout.RETURNS);
        assertEquals(0, ParcelLayout.OPEN % 128);
        assertTrue(ParcelLayout.OPENED + 4 <= ParcelLayout.OPEN, "the private state fits below OPEN");
        assertTrue(ParcelLayout.OPENED + 4 - ParcelLayout.FREE <= 64, "the private state is one line");
        assertEquals(0, ParcelLayout.P_ENTRIES % 8);
        assertTrue(ParcelLayout.P_RESERVED + 8 <= ParcelLayout.LARGE_BYTES, "room for a watermark");
        assertTrue(ParcelLayout.P_ENTRIES + 8L * ParcelLayout.CAPACITY <= ParcelLayout.P_OLDER);
        for (int size = 0; size < ParcelLayout.SIZES; size++) {
            assertEquals(ParcelLayout.bytes(size), ParcelLayout.P_ENTRIES + 8L * ParcelLayout.capacity(size)
                    + (size == ParcelLayout.LARGE ? ParcelLayout.LARGE_BYTES - ParcelLayout.P_OLDER : 0));
            assertEquals(0, ParcelRemoteFree.CHUNK_BYTES % ParcelLayout.bytes(size), "chunks hold whole parcels");
        }
        assertEquals(0, ParcelLayout.RETURNS % 128);
        assertTrue(ParcelLayout.RETURNS + 8L * ParcelLayout.SIZES <= ParcelLayout.FREE - 64, "returns heads: one line");
        assertEquals(0, ParcelLayout.LARGE_BYTES % 128, "large parcels do not share lines");
        assertEquals(64, ParcelLayout.SMALL_BYTES, "a small parcel is one line");
    }
}
