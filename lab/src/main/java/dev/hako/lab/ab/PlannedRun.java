package dev.hako.lab.ab;

/**
 * One JVM to start.
 *
 * @param cell    the matrix cell
 * @param variant index into the experiment's variants
 * @param kind    timed, counters or profile
 * @param index   1-based repetition of this (cell, variant, kind)
 */
public record PlannedRun(Cell cell, int variant, RunKind kind, int index) {}
