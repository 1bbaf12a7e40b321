package dev.hako.lab.bench;

/**
 * What one worker did in the timed window.
 *
 * @param allocs        successful allocations
 * @param localFrees    frees done by the worker itself by choice
 * @param fallbackFrees remote frees done locally because the outbound ring was full
 * @param sends         blocks pushed onto the outbound ring
 * @param recvFrees     blocks taken from the inbound ring and freed
 * @param allocFailures allocations that returned nothing (not counted as ops)
 */
public record ThreadCounts(long allocs, long localFrees, long fallbackFrees, long sends, long recvFrees,
                           long allocFailures) {
    /** The seed's ops: allocations + local frees + fallback frees + sends + receiver frees. */
    public long ops() {
        return allocs + localFrees + fallbackFrees + sends + recvFrees;
    }

    public ThreadCounts plus(ThreadCounts o) {
        return new ThreadCounts(allocs + o.allocs, localFrees + o.localFrees, fallbackFrees + o.fallbackFrees,
                sends + o.sends, recvFrees + o.recvFrees, allocFailures + o.allocFailures);
    }

    public static final ThreadCounts ZERO = new ThreadCounts(0, 0, 0, 0, 0, 0);
}
