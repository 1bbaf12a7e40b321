package dev.hako.lab.suite;

/**
 * One JVM to start: a row, an allocator (index into the suite's allocators) and the repetition.
 *
 * @param round 1-based; within a round every allocator runs the row once, in the order given
 */
public record SuiteJob(SuiteCase row, int allocator, int round) {}
