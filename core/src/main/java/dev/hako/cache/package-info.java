/**
 * Cache room: the per-thread heap ({@link dev.hako.cache.ThreadCache}) with the malloc and free fast paths,
 * refill and carving; the shared, locked variant; and the owner's storage ({@link dev.hako.cache.CacheStore})
 * that outlives threads.
 */
package dev.hako.cache;
