package dev.hako.cache;

/**
 * Makes the heaps the owner room attaches. The API room passes its own subclasses, which implement its public
 * {@code Heap} themselves: a program's call then reaches the fast path with no wrapper between (a wrapper cost
 * 0.3-1 ns per call in JMH and 5-10 % of the seed's benchmark at T=2 R=0). {@link #PLAIN} serves tests and tools
 * that need no public face.
 */
public interface HeapFactory {
    /** An exclusive heap for {@code thread} on owner id {@code owner}. */
    ThreadCache exclusive(CacheServices services, int owner, CacheStore store, Thread thread);

    /** A shared heap on owner id {@code owner}. */
    SharedHeap shared(CacheServices services, int owner, CacheStore store);

    /**
     * The array behind the owner room's thread-id table, typed as the class {@link #exclusive} makes, so that a
     * reader who knows that class finds a heap and calls it with no type check.
     */
    ThreadCache[] threadTable(int size);

    /** The cache room's own classes. */
    HeapFactory PLAIN = new HeapFactory() {
        @Override
        public ThreadCache exclusive(CacheServices services, int owner, CacheStore store, Thread thread) {
            return new ThreadCache(services, owner, store, thread);
        }

        @Override
        public SharedHeap shared(CacheServices services, int owner, CacheStore store) {
            return new SharedHeap(services, owner, store);
        }

        @Override
        public ThreadCache[] threadTable(int size) {
            return new ThreadCache[size];
        }
    };
}
