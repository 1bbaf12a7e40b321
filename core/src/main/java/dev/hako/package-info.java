/**
 * Hako's public API: {@link dev.hako.Hako} (static, process-wide), {@link dev.hako.HakoAllocator} (instances),
 * {@link dev.hako.Heap} (per-thread handle), {@link dev.hako.HakoConfig}, {@link dev.hako.HakoStats},
 * {@link dev.hako.AuditReport}. Every other package is internal.
 */
package dev.hako;
