package dev.hako.check;

import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checked-mode ledger on its own (it works whether or not checked mode is on). */
class BlockLedgerTest {
    private static final long BASE = 1L << 40;

    @Test
    void shouldTrackEveryBlockOfEveryClassIndependently() {
        BlockLedger ledger = new BlockLedger(BASE, 256 * SizeClasses.PAGE);
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long page = BASE + c * SizeClasses.PAGE;
            ledger.pageCarved(page);
            long size = SizeClasses.size(c);
            int blocks = SizeClasses.blocksPerPage(c);
            for (int i = 0; i < blocks; i++) ledger.onMalloc(page + i * size, c);
            for (int i = 0; i < blocks; i += 2) ledger.onFree(page + i * size, c);
            for (int i = 0; i < blocks; i++) {
                long block = page + i * size;
                int cls = c;
                if (i % 2 == 0) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> ledger.onFree(block, cls));
                    assertTrue(e.getMessage().contains(String.format("0x%x", block)), e.getMessage());
                    assertDoesNotThrow(() -> ledger.onMalloc(block, cls));
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> ledger.onMalloc(block, cls));
                    assertTrue(e.getMessage().contains("handed out twice"), e.getMessage());
                    assertDoesNotThrow(() -> ledger.onFree(block, cls));
                }
            }
        }
    }

    @Test
    void requireHandedOutShouldThrowForAFreeBlockAndChangeNothing() {
        BlockLedger ledger = new BlockLedger(BASE, 4 * SizeClasses.PAGE);
        ledger.pageCarved(BASE);
        assertThrows(IllegalArgumentException.class, () -> ledger.requireHandedOut(BASE + 32, 0));
        ledger.onMalloc(BASE + 32, 0); // still free: no "handed out twice"
        assertDoesNotThrow(() -> ledger.requireHandedOut(BASE + 32, 0));
        assertDoesNotThrow(() -> ledger.requireHandedOut(BASE + 32, 0));
        ledger.onFree(BASE + 32, 0); // still handed out: no "double free"
    }

    @Test
    void aRecarvedPageShouldStartWithEveryBlockFree() {
        BlockLedger ledger = new BlockLedger(BASE, 4 * SizeClasses.PAGE);
        ledger.pageCarved(BASE);
        ledger.onMalloc(BASE, 0);
        assertThrows(IllegalArgumentException.class, () -> ledger.onFree(BASE + 16, 0));
    }
}
