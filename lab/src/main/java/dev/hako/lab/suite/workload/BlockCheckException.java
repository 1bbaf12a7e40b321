package dev.hako.lab.suite.workload;

/** A block did not hold what the workload wrote into it: the allocator (or the workload) broke a block. */
public final class BlockCheckException extends RuntimeException {
    public BlockCheckException(String workload, String what, long address, long size, long offset) {
        super(String.format("%s: %s: block 0x%x of %d bytes differs at offset %d", workload, what, address, size,
                offset));
    }

    public BlockCheckException(String message) {
        super(message);
    }
}
