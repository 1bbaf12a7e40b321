package dev.hako.layout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page-tag encoding. */
class PageMapTest {

    @Test
    void tagShouldRoundTripOwnerAndClass() {
        int[] owners = {1, 2, 3, 255, 256, 257, 1023, 1 << 16, PageMap.MAX_OWNER - 1, PageMap.MAX_OWNER};
        for (int owner : owners) {
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                int tag = PageMap.tag(owner, c);
                assertNotEquals(0, tag, "a carved page's tag is never 0");
                assertEquals(owner, PageMap.ownerOf(tag), "owner of tag(" + owner + ", " + c + ")");
                assertEquals(c, PageMap.classOf(tag), "class of tag(" + owner + ", " + c + ")");
            }
        }
    }

    @Test
    void uncarvedTagShouldHaveNoClassAndNoOwner() {
        assertEquals(-1, PageMap.classOf(0));
        assertEquals(0, PageMap.ownerOf(0));
    }

    @Test
    void largeSlotsShouldNameNoClass() {
        assertEquals(-1, PageMap.classOf(PageMap.LARGE_HEAD_CODE));
        assertEquals(-1, PageMap.classOf(PageMap.LARGE_BODY_CODE));
        assertTrue(SizeClasses.COUNT + 1 < PageMap.LARGE_BODY_CODE, "large slots stay clear of the class slots");
        for (long offset : new long[] {0, 16, 4096}) {
            assertFalse(SizeClasses.isBlockStartForCode(PageMap.LARGE_HEAD_CODE, offset), "large head: slow path");
            assertFalse(SizeClasses.isBlockStartForCode(PageMap.LARGE_BODY_CODE, offset), "large body: slow path");
        }
    }

    @Test
    void classFieldShouldHoldEveryClass() {
        assertTrue(SizeClasses.COUNT < (1 << PageMap.CLASS_BITS), "class + 1 must fit the class bits");
        assertEquals((1 << 24) - 1, PageMap.MAX_OWNER);
    }
}
