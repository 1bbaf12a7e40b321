/**
 * Hako for Netty: {@link dev.hako.netty.HakoByteBufAllocator}, a {@code ByteBufAllocator} whose direct buffers
 * are blocks of a {@link dev.hako.HakoAllocator}, freed on the thread of their last {@code release()}.
 */
package dev.hako.netty;
