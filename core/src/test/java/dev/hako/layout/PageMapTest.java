package dev.hako.layout;

import dev.hako.memory.AddressSpace;
import dev.hako.memory.NativeMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page-tag encoding and the bump carving of pages. */
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
    void classFieldShouldHoldEveryClass() {
        assertTrue(SizeClasses.COUNT < (1 << PageMap.CLASS_BITS), "class + 1 must fit the class bits");
        assertEquals((1 << 24) - 1, PageMap.MAX_OWNER);
    }

    @Test
    void shouldCarvePagesBottomUpTagThemAndCommitThem() {
        long arena = 16 * SizeClasses.PAGE;
        try (AddressSpace space = new AddressSpace(arena, SizeClasses.PAGE, 4L << 20)) {
            PageMap map = new PageMap(space);
            assertEquals(0, map.base() % SizeClasses.PAGE, "arena base is page aligned");
            assertEquals(map.base(), map.carvedEnd());
            for (int i = 0; i < 16; i++) {
                long page = map.carvePage(1 + i, i);
                assertEquals(map.base() + i * SizeClasses.PAGE, page);
                assertEquals(PageMap.tag(1 + i, i), map.tagAt(page));
                assertEquals(PageMap.tag(1 + i, i), map.tagAt(page + SizeClasses.PAGE - 1));
                assertEquals(page, map.pageStart(page + 12345));
                NativeMemory.setLongPlain(page + SizeClasses.PAGE - 8, 42); // committed: writable
                assertEquals(42, NativeMemory.getLongPlain(page + SizeClasses.PAGE - 8));
            }
            assertEquals(16, map.pagesCarved());
            assertEquals(map.base() + arena, map.carvedEnd());
            assertTrue(map.contains(map.base()));
            assertTrue(map.contains(map.base() + arena - 1));
            assertFalse(map.contains(map.base() + arena));
            assertFalse(map.contains(map.base() - 1));
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> map.carvePage(1, 0));
            assertTrue(e.getMessage().contains("exhausted") && e.getMessage().contains("hako.arena"), e.getMessage());
            // a failed carve changes nothing
            assertEquals(16, map.pagesCarved());
            assertEquals(map.base() + arena, map.carvedEnd());
            assertThrows(OutOfMemoryError.class, () -> map.carvePage(1, 0));
        }
    }
}
