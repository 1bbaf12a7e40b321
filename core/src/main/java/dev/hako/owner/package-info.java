/**
 * Owner room: owner ids, which thread holds which (platform threads, and virtual threads up to a cap), adoption
 * of a dead thread's store by the next thread, shared heaps for the threads beyond, and the reaper that detaches
 * the heaps of threads that died.
 */
package dev.hako.owner;
