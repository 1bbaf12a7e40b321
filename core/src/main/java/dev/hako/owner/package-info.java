/**
 * Owner room: owner ids, which thread holds which, adoption of a dead thread's store by the next thread,
 * shared heaps for virtual threads and for threads beyond the id limit, and the reaper that detaches the heaps
 * of threads that died.
 */
package dev.hako.owner;
