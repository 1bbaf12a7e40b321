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
 * @param smallPages      pages of small blocks (tagged with an owner and a class)
 * @param largePages      pages of large blocks in the arena
 * @param pooledPages     free pages in the pool, still resident
 * @param decommittedPages free pages in the pool whose memory went back to the kernel
 * @param pageErrors      pages whose books do not add up: tagged while in the pool, or a record out of range
 */
public record AuditReport(long carvedBlocks, long freeBlocks, long duplicateFrees, long strayBlocks,
                          long liveBlocks, long smallPages, long largePages, long pooledPages, long decommittedPages,
                          long pageErrors) {

    /**
     * Whether the books balance for a program that holds {@code expectedLive} blocks.
     *
     * @param expectedLive page blocks the program holds
     * @return no duplicate, no stray, no page error, and exactly that many live blocks
     */
    public boolean balanced(long expectedLive) {
        return duplicateFrees == 0 && strayBlocks == 0 && pageErrors == 0 && liveBlocks == expectedLive;
    }

    @Override
    public String toString() {
        return "carved=" + carvedBlocks + " free=" + freeBlocks + " duplicates=" + duplicateFrees + " stray="
                + strayBlocks + " live=" + liveBlocks + " pages: small=" + smallPages + " large=" + largePages
                + " pooled=" + pooledPages + " decommitted=" + decommittedPages + " errors=" + pageErrors;
    }
}
