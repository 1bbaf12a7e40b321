/** Counters behind {@code -Dhako.stats=true}, one array per heap, summed into snapshots. */
package dev.hako.stats;
