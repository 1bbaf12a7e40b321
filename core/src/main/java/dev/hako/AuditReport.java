package dev.hako;

/**
 * The result of {@link HakoAllocator#audit()}: every block carved from a page, set against every block found
 * free in a cache or in a remote-free strategy's structures.
 *
 * @param carvedBlocks    blocks ever carved from pages
 * @param freeBlocks      distinct carved blocks found free
 * @param duplicateFrees  extra sightings of a block already counted free (a block that could be handed out twice)
 * @param strayBlocks     free entries that are not a carved block of the class they were filed under
 * @param liveBlocks      carved blocks not found free: held by the program, or lost
 */
public record AuditReport(long carvedBlocks, long freeBlocks, long duplicateFrees, long strayBlocks,
                          long liveBlocks) {

    /** Whether the books balance for a program that holds {@code expectedLive} blocks. */
    public boolean balanced(long expectedLive) {
        return duplicateFrees == 0 && strayBlocks == 0 && liveBlocks == expectedLive;
    }

    @Override
    public String toString() {
        return "carved=" + carvedBlocks + " free=" + freeBlocks + " duplicates=" + duplicateFrees + " stray="
                + strayBlocks + " live=" + liveBlocks;
    }
}
