/**
 * Remote room: the {@link dev.hako.remote.RemoteFree} seam and its strategies, chosen by name at start-up
 * ({@code -Dhako.remote}); each strategy is one class, with its protocol written down in {@code docs/remote/}.
 */
package dev.hako.remote;
