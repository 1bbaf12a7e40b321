package dev.hako.remote;

/**
 * The remote-free seam: how a block freed by a heap that does not own its page gets back to its owner.
 *
 * <p>One strategy is chosen per allocator at start-up ({@code -Dhako.remote=NAME}); with one strategy class
 * loaded the calls below are monomorphic and inline. The contract every strategy keeps:
 * <ul>
 *   <li><b>Producer side</b> {@link #send}: called by the freeing heap's thread (or under its lock for a shared
 *       heap) for a block whose page belongs to {@code owner != producer.ownerId()}: the cross-thread free, named
 *       apart from every other free (mimalloc names its {@code mi_free_block_mt} apart too).</li>
 *   <li><b>Owner side</b> {@link #collect}: called by the owner on a refill miss of {@code sizeClass}; moves
 *       blocks that wait for the owner into its cache via {@link RemoteHeap#acceptFree} and returns how many
 *       of them are of {@code sizeClass}. One consumer per owner id at a time.</li>
 *   <li><b>Lifecycle</b> {@link #flushProducer}: everything the producer holds for other owners is published,
 *       so that nothing waits in a heap that is going away. Called at close, after thread death (by the
 *       reaper, when the dead thread can no longer run) and at shutdown.</li>
 *   <li><b>Accounting</b> {@link #forEachHeld}: when the allocator is quiescent, visits every block the strategy
 *       holds, so that an audit can prove that no block is lost or held twice.</li>
 * </ul>
 * No strategy may lose a block or hand one out twice: after every heap is flushed, each freed block is in
 * exactly one place (a cache bin or a strategy structure).
 */
public abstract class RemoteFree implements AutoCloseable {

    /** The strategy's name as given to {@code -Dhako.remote}. */
    public abstract String name();

    /** Producer side: sends {@code block} of {@code sizeClass}, owned by {@code owner}, towards its owner. */
    public abstract void send(RemoteHeap producer, int owner, int sizeClass, long block);

    /**
     * Owner side, on a refill miss: moves waiting blocks into {@code owner}'s cache.
     *
     * @return the number of blocks of {@code sizeClass} moved (blocks of other classes may move too)
     */
    public abstract int collect(RemoteHeap owner, int sizeClass);

    /**
     * Owner side, whole: moves every block waiting for {@code owner.ownerId()}, of every class, into {@code owner},
     * without the producer housekeeping that {@link #collect} may do for the same heap. Called by the heap holding
     * the id, or by the housekeeper holding that owner's page-level lock while the owner is idle or gone (never at
     * the same time as the owner's {@code collect}). Returns how many blocks moved.
     */
    public abstract long collectAll(RemoteHeap owner);

    /** Publishes everything {@code producer} holds for other owners. */
    public void flushProducer(RemoteHeap producer) {}

    /** Visits every block held by the strategy (caller guarantees quiescence). */
    public abstract void forEachHeld(BlockVisitor visitor);

    /** Releases the strategy's native memory (allocator close). */
    @Override
    public void close() {}

    /** Receives blocks during an audit. */
    @FunctionalInterface
    public interface BlockVisitor {
        void visit(long block);
    }
}
