/**
 * Hako's JFR events (category "Hako", names {@code dev.hako.*}, all off by default) and {@link
 * dev.hako.events.HakoEvents}, the one-line-per-call-site facade the other rooms call on their slow paths. It
 * depends on nothing of Hako's, so every room may call it; what it records and how to turn it on:
 * docs/ARCHITECTURE.md, "Events and metrics".
 */
package dev.hako.events;
