package dev.hako;

/**
 * The JMX view of one {@link HakoAllocator}: its memory gauges ({@link HakoStats.Memory}) and {@link #trim()}.
 *
 * <p>With {@code -Dhako.jmx=true}, every allocator registers one on the platform MBean server when it is created and
 * unregisters it when it is closed: the process-wide allocator ({@link Hako#global()}) as {@value #OBJECT_NAME}, any other as
 * {@code dev.hako:type=Allocator,name=N} (N = 1, 2, ... in order of creation); query {@code dev.hako:type=Allocator,*}
 * for all of them. The bean holds its allocator weakly, so it never keeps one alive. Registration is off by
 * default: in a JVM where nothing else uses JMX, creating the platform MBean server costs about 0.2 s of CPU and
 * 5 MB of RSS at the first allocation.
 *
 * <p>Gauges are read from state the allocator keeps anyway, without stopping its threads, so they may be a few blocks
 * off; each read takes a fresh snapshot. A read on a closed allocator throws {@link IllegalStateException}.
 */
public interface HakoAllocatorMXBean {
    /** The object name of the process-wide allocator's bean; other allocators add {@code ,name=N}. */
    String OBJECT_NAME = "dev.hako:type=Allocator";

    /**
     * {@code global} for the process-wide allocator, else its number (the {@code name} key of the object name).
     *
     * @return the figure
     */
    String getName();

    /**
     * The allocator's configuration ({@link HakoAllocator#describe()}).
     *
     * @return the figure
     */
    String getConfiguration();

    /**
     * Bytes handed out and not freed (small blocks in remote transit and large blocks included).
     *
     * @return the figure
     */
    long getLiveBytes();

    /**
     * Bytes of free blocks in thread caches.
     *
     * @return the figure
     */
    long getCachedBytes();

    /**
     * The rest of the owners' pages: free blocks and not yet carved parts.
     *
     * @return the figure
     */
    long getFreeInPagesBytes();

    /**
     * Free pages in the page pool, still resident (they decay to the kernel).
     *
     * @return the figure
     */
    long getPooledBytes();

    /**
     * Free pages in the page pool whose memory was returned to the kernel.
     *
     * @return the figure
     */
    long getDecommittedBytes();

    /**
     * Arena address space made read-write.
     *
     * @return the figure
     */
    long getCommittedBytes();

    /**
     * Bytes returned to the kernel since the start (cumulative).
     *
     * @return the figure
     */
    long getReturnedBytes();

    /**
     * Live large blocks (above 64 KiB), in the arena or mapped on their own.
     *
     * @return the figure
     */
    long getLargeBytes();

    /**
     * Owner ids held now (shared heaps included).
     *
     * @return the figure
     */
    int getOwnersInUse();

    /**
     * Gives back what can be given back now, as {@link HakoAllocator#trim()} does, except that the calling thread
     * (a JMX connection's) has no cache to give: every parked store's cache, every remote free, every wholly free
     * page, then every free page's memory to the kernel.
     *
     * @return the bytes returned to the kernel
     */
    long trim();
}
