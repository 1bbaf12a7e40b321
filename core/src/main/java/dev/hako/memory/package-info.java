/**
 * Memory room: address-space reservation and commit (mmap, mprotect, madvise through the FFM
 * {@code Linker}) and the one class that touches native memory by address.
 *
 * <h2>Access-mode vocabulary</h2>
 * Every accessor of {@link dev.hako.memory.NativeMemory} names its mode as a suffix, matching
 * {@link java.lang.invoke.VarHandle} modes:
 * <ul>
 *   <li>{@code Plain}: no ordering; only for memory one thread owns, or published by a later release.</li>
 *   <li>{@code Opaque}: single-word coherent, no ordering; used for "is there anything?" peeks.</li>
 *   <li>{@code Acquire} / {@code Release}: pair with each other. A release store (or release CAS) publishes
 *       every plain write before it; the reader that sees the value with an acquire load (or acquire
 *       exchange) sees those writes.</li>
 *   <li>{@code cax} (compare-and-exchange, returns the witness), {@code cas}, {@code xchg},
 *       {@code getAndAdd}: read-modify-write; the suffix says the ordering when it is weaker than
 *       volatile.</li>
 * </ul>
 * Pairing rule: a plain write published to another thread needs a {@code Release} (or stronger) write
 * after it and an {@code Acquire} (or stronger) read before the reader's plain reads. Every shared word
 * and its modes are listed in {@code docs/CONCURRENCY.md}.
 */
package dev.hako.memory;
