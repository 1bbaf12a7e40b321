package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.memory.NativeMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

/**
 * Multi-producer, single-consumer stacks in native memory, linked through the first word (offset 0) of what they
 * hold: producers push a whole chain with one release CAS; the one consumer takes the whole stack with one acquire
 * exchange. There is no single-item pop, so there is no ABA: a push only needs the head to equal what it linked the
 * chain's tail to at the moment of its CAS, and an exchange takes whatever is there.
 *
 * <p>Two kinds of items. <b>Hako's own records</b> (parcels) use plain links ({@link #push}, {@link #forEach}).
 * <b>Freed blocks</b> (push, batch, inbox, the mailboxes' fallback) use {@link #pushBlocks} and friends, built for
 * memory that the program may still (wrongly) write:
 * <ul>
 *   <li><b>Safe-linking</b> (glibc's): a block's link is stored as {@code next ^ (block >>> 12) ^ SECRET}, with a
 *       per-process secret, so that a stray write of an address into a freed block decodes to garbage.</li>
 *   <li><b>Validated walk</b>: the consumer walks a taken list once, asking the owner whether each address is one of
 *       its blocks of the class ({@link RemoteHeap#owns}) before reading its link, and checks for a cycle (Brent's
 *       algorithm: one compare per block) — a block freed twice makes one. A bad address or a cycle fails the
 *       drain with {@link IllegalStateException}; what it had filed is taken back, so nothing of that list stays
 *       filed.</li>
 *   <li><b>Lazy filing</b>: the drain files only as many blocks as the owner's bin has room for
 *       ({@link RemoteHeap#room}); the rest stays as the owner's <em>pending</em> list, kept in the second cache
 *       line of the stash head's 128-byte line (written only by the consumer), and is filed by the next collects
 *       first. A large drain then costs no overflow of the bin to the pages and back.</li>
 * </ul>
 *
 * <p>Ordering: the producer's plain writes (the links, and anything else in the items) happen before its release
 * CAS; the consumer's acquire exchange sees that CAS, so its plain reads of the items see those writes.
 */
final class LinkedStack {
    private LinkedStack() {}

    /** Offsets of the consumer's pending list (first block, blocks left) from a stash head. */
    static final long PENDING = 64;
    static final long PENDING_LEFT = 72;
    /** The safe-linking secret, one per process. */
    private static final long SECRET = new java.util.SplittableRandom().nextLong() & ~0xFL;

    // ================================================================ any items (plain links)

    /**
     * Pushes the chain {@code first .. last} (already linked through word 0 from {@code first} to {@code last};
     * {@code last}'s link is written here) onto {@code head}. Counts CAS attempts and failures on {@code counted}.
     */
    static void push(RemoteHeap counted, long head, long first, long last) {
        pushChain(counted, head, first, last, false);
    }

    /**
     * The one CAS loop of the remote room: links {@code last} to the head it saw (encoded for blocks), then one
     * release CAS; a failed CAS retries with the witness. Counts attempts and failures on {@code counted}.
     */
    private static void pushChain(RemoteHeap counted, long head, long first, long last, boolean safeLinked) {
        long expected = NativeMemory.getLongOpaque(head);
        long attempts = 1;
        for (;;) {
            if (safeLinked) setLink(last, expected);
            else NativeMemory.setLongPlain(last, expected);
            long witness = NativeMemory.caxLongRelease(head, expected, first);
            if (witness == expected) break;
            expected = witness;
            attempts++;
        }
        countCas(counted, attempts);
    }

    /** Counts a CAS loop's attempts and failures on {@code counted} (every producer-side atomic of the room). */
    static void countCas(RemoteHeap counted, long attempts) {
        if (Stats.ENABLED) {
            counted.count(Counter.CAS_ATTEMPT, attempts);
            counted.count(Counter.CAS_FAIL, attempts - 1);
        }
    }

    /** Consumer: takes the whole stack (0 if it looked empty: an opaque peek first spares the atomic). */
    static long takeAll(long head) {
        if (NativeMemory.getLongOpaque(head) == 0) return 0;
        return NativeMemory.xchgLongAcquire(head, 0L);
    }

    /** Visits every item of a stack of plain-linked items (caller guarantees quiescence). */
    static void forEach(long head, RemoteFree.BlockVisitor visitor) {
        for (long item = NativeMemory.getLongAcquire(head); item != 0; item = NativeMemory.getLongPlain(item)) {
            visitor.visit(item);
        }
    }

    // ================================================================ freed blocks (safe-linked)

    /** Writes {@code block}'s link to {@code next}, encoded. */
    static void setLink(long block, long next) {
        NativeMemory.setLongPlain(block, next ^ (block >>> 12) ^ SECRET);
    }

    /** Reads {@code block}'s link, decoded. */
    static long link(long block) {
        return NativeMemory.getLongPlain(block) ^ (block >>> 12) ^ SECRET;
    }

    /** {@link #push} for a chain of blocks linked with {@link #setLink}; {@code last}'s link is written here. */
    static void pushBlocks(RemoteHeap counted, long head, long first, long last) {
        pushChain(counted, head, first, last, true);
    }

    /**
     * Owner side of a stack of blocks of one class: files blocks into {@code owner} for {@code sizeClass}, first from
     * its pending list, else from the stack (taken whole, checked, then filed as far as the bin has room; the rest
     * becomes the pending list). Counts the drain. Returns the number of blocks filed.
     *
     * @throws IllegalStateException if the taken list holds an address that is not one of the owner's blocks of the
     *                               class, or a cycle (a block freed twice); that list is dropped, nothing filed
     */
    static int drainBlocks(RemoteHeap owner, long head, int sizeClass, PageMap pages) {
        return drainBlocks(owner, head, sizeClass, pages, true);
    }

    /** {@link #drainBlocks}, counting the drain only if {@code counted} (a mailbox counts its collect whole). */
    static int drainBlocks(RemoteHeap owner, long head, int sizeClass, PageMap pages, boolean counted) {
        int room = Math.max(1, owner.room(sizeClass));
        int n = 0;
        long pending = NativeMemory.getLongPlain(head + PENDING);
        if (pending != 0) {
            n = filePending(owner, head, sizeClass, pending, room);
            if (n == room) {
                if (Stats.ENABLED && counted) owner.count(Counter.DRAINED_BLOCKS, n);
                return n;
            }
        }
        long first = takeAll(head);
        if (first != 0) {
            n += fileTaken(owner, head, sizeClass, first, room - n, pages);
            if (Stats.ENABLED && counted) owner.count(Counter.DRAIN, 1);
        } else if (n == 0) {
            if (Stats.ENABLED && counted) owner.count(Counter.DRAIN_EMPTY, 1);
            return 0;
        }
        if (Stats.ENABLED && counted) owner.count(Counter.DRAINED_BLOCKS, n);
        return n;
    }

    /**
     * One walk of a freshly taken list, reading each link once (as a plain drain would): the first {@code room}
     * blocks are filed as they come, the rest only checked; every address is checked before its link is read, and
     * Brent's cycle check runs over the whole list. A bad address or a cycle takes the filed blocks back
     * ({@link RemoteHeap#retract}: room kept them in the bin) and drops the list. What was not filed becomes the
     * pending list.
     */
    private static int fileTaken(RemoteHeap owner, long head, int sizeClass, long first, int room, PageMap pages) {
        long bound = pages.blockBound();
        long tortoise = first, power = 1, steps = 0, length = 0;
        long rest = 0;
        int filed = 0;
        try {
            for (long b = first; b != 0; ) {
                if (!owner.owns(sizeClass, b)) throw notABlock(owner, sizeClass, b);
                long next = link(b);
                if (filed < room) {
                    owner.acceptFree(sizeClass, b);
                    filed++;
                } else if (rest == 0) {
                    rest = b;
                }
                length++;
                if (next == tortoise || length >= bound) throw cycle(owner.ownerId(), sizeClass);
                if (++steps == power) {
                    tortoise = next;
                    power <<= 1;
                    steps = 0;
                }
                b = next;
            }
        } catch (IllegalStateException corrupt) {
            owner.retract(sizeClass, filed);
            throw corrupt;
        }
        NativeMemory.setLongPlain(head + PENDING, rest);
        NativeMemory.setLongPlain(head + PENDING_LEFT, length - filed);
        return filed;
    }

    /** Files up to {@code room} blocks of the (checked) pending list; the rest stays pending. */
    private static int filePending(RemoteHeap owner, long head, int sizeClass, long block, int room) {
        long left = NativeMemory.getLongPlain(head + PENDING_LEFT);
        int n = 0;
        try {
            while (n < room && left > 0) {
                long next = link(block);
                owner.acceptFree(sizeClass, block);
                block = next;
                left--;
                n++;
            }
        } finally { // a block refused by the owner drops the rest rather than being offered again
            boolean done = left == 0 || n < room;
            NativeMemory.setLongPlain(head + PENDING, done ? 0 : block);
            NativeMemory.setLongPlain(head + PENDING_LEFT, done ? 0 : left);
        }
        return n;
    }

    static IllegalStateException cycle(int owner, int sizeClass) {
        return new IllegalStateException("the remote-free list of owner " + owner + ", class " + sizeClass
                + " runs in a cycle: a block was freed twice (the list was dropped; find the culprit with"
                + " -Dhako.checked=true)");
    }

    static IllegalStateException notABlock(RemoteHeap owner, int sizeClass, long address) {
        return new IllegalStateException(String.format("the remote-free list of owner %d, class %d leads to 0x%x,"
                + " which is not one of its blocks: a freed block was written after it was freed (the list was"
                + " dropped)", owner.ownerId(), sizeClass, address));
    }

    /** Visits every block of a stash head's stack and of its pending list (caller guarantees quiescence). */
    static void forEachBlock(long head, RemoteFree.BlockVisitor visitor) {
        for (long b = NativeMemory.getLongAcquire(head); b != 0; b = link(b)) visitor.visit(b);
        long b = NativeMemory.getLongPlain(head + PENDING);
        for (long left = NativeMemory.getLongPlain(head + PENDING_LEFT); b != 0 && left > 0; left--, b = link(b)) {
            visitor.visit(b);
        }
    }
}
