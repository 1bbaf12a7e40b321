package dev.hako.check;

import dev.hako.layout.SizeClasses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Checked mode's record of which blocks are handed out: one bit per block, one bitmap per page, updated with
 * atomic bit operations (the owner mallocs while other threads free on the same page).
 *
 * <p>Malloc of a block whose bit is already set means Hako handed a block out twice (an internal error);
 * free of a block whose bit is clear is a double free (a caller error).
 */
public final class BlockLedger {
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class).withInvokeExactBehavior();
    private static final int WORDS_PER_PAGE = (int) (SizeClasses.PAGE / 16 / 64);

    private final long base;
    private final long[][] pages;

    public BlockLedger(long arenaBase, long arenaSize) {
        this.base = arenaBase;
        this.pages = new long[(int) (arenaSize >>> SizeClasses.PAGE_SHIFT)][];
    }

    /** Called by the carving owner before any block of the page is handed out. */
    public void pageCarved(long page) {
        pages[index(page)] = new long[WORDS_PER_PAGE];
    }

    public void onMalloc(long block, int sizeClass) {
        int bit = bit(block, sizeClass);
        long mask = 1L << bit;
        long old = (long) BITS.getAndBitwiseOr(pages[index(block)], bit >>> 6, mask);
        if ((old & mask) != 0) {
            throw new IllegalStateException(String.format(
                    "Hako internal error: block 0x%x handed out twice (checked mode)", block));
        }
    }

    public void onFree(long block, int sizeClass) {
        int bit = bit(block, sizeClass);
        long mask = 1L << bit;
        long old = (long) BITS.getAndBitwiseAnd(pages[index(block)], bit >>> 6, ~mask);
        if ((old & mask) == 0) throw notHandedOut(block, sizeClass);
    }

    /** Throws as {@link #onFree} would for a block that is not handed out, without changing anything. */
    public void requireHandedOut(long block, int sizeClass) {
        int bit = bit(block, sizeClass);
        long word = (long) BITS.getVolatile(pages[index(block)], bit >>> 6);
        if ((word & (1L << bit)) == 0) throw notHandedOut(block, sizeClass);
    }

    private static IllegalArgumentException notHandedOut(long block, int sizeClass) {
        return new IllegalArgumentException(String.format(
                "double free of 0x%x (a block of %d bytes that is free, or was never handed out)", block, SizeClasses.size(sizeClass)));
    }

    private int index(long address) {
        return (int) ((address - base) >>> SizeClasses.PAGE_SHIFT);
    }

    private static int bit(long block, int sizeClass) {
        return (int) ((block & (SizeClasses.PAGE - 1)) / SizeClasses.size(sizeClass));
    }
}
