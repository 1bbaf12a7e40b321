package dev.hako;

import dev.hako.check.Checked;
import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.remote.RemoteStrategies;
import dev.hako.stats.Stats;

import java.util.Locale;

/**
 * How an allocator is built. The default instance reads these from system properties once, at first use
 * (like the seed's compile-time flags); tests and embedders build their own with {@link #builder()}.
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code hako.remote}</td><td>{@code parcel}</td><td>remote-free strategy</td></tr>
 *   <tr><td>{@code hako.parcel.budget}</td><td>{@code 1m}</td><td>parcel: bytes of blocks a thread holds for
 *   others in open parcels</td></tr>
 *   <tr><td>{@code hako.parcel.open}</td><td>{@code 256}</td><td>parcel: open parcels per thread</td></tr>
 *   <tr><td>{@code hako.parcel.missFlush}</td><td>{@code 0}</td><td>parcel: a thread's refill miss also ships its
 *       open parcels holding at least this many blocks (0: never)</td></tr>
 *   <tr><td>{@code hako.arena}</td><td>{@code 64g}</td><td>address space reserved for pages (k/m/g/t suffix)</td></tr>
 *   <tr><td>{@code hako.owners}</td><td>{@code 1024}</td><td>owner ids (shared heaps included)</td></tr>
 *   <tr><td>{@code hako.shared}</td><td>cores, 2..16</td><td>shared heaps for virtual threads and overflow</td></tr>
 *   <tr><td>{@code hako.virtual}</td><td>4 x cores</td><td>exclusive heaps virtual threads may hold at once (the
 *       others share; 0: every virtual thread shares)</td></tr>
 *   <tr><td>{@code hako.reaper.ms}</td><td>{@code 200}</td><td>how often dead threads are looked for</td></tr>
 *   <tr><td>{@code hako.decay.ms}</td><td>{@code 500}</td><td>how long free pages stay resident before they go
 *       back to the kernel, and how long an owner stays quiet before the housekeeper collects for it</td></tr>
 *   <tr><td>{@code hako.decay.advice}</td><td>{@code dontneed}</td><td>how pages go back: {@code dontneed}
 *       ({@code MADV_DONTNEED}: RSS falls at once) or {@code free} ({@code MADV_FREE}: the kernel takes them only
 *       under memory pressure)</td></tr>
 *   <tr><td>{@code hako.stats}</td><td>{@code false}</td><td>counters (process-wide, fixed at class load)</td></tr>
 *   <tr><td>{@code hako.checked}</td><td>{@code false}</td><td>checked mode (process-wide, fixed at class load)</td></tr>
 *   <tr><td>{@code hako.jmx}</td><td>{@code false}</td><td>register each allocator's {@link HakoAllocatorMXBean}</td></tr>
 * </table>
 *
 * @param arenaBytes           address space reserved for pages and large blocks ({@code hako.arena})
 * @param maxOwners            owner ids, shared heaps included ({@code hako.owners})
 * @param sharedHeaps          shared heaps for virtual threads and overflow ({@code hako.shared})
 * @param virtualHeaps         exclusive heaps virtual threads may hold at once, at most the ids left after the
 *                             shared heaps' ({@code hako.virtual})
 * @param remote               the remote-free strategy ({@code hako.remote})
 * @param reaperIntervalMillis how often dead threads' heaps are looked for ({@code hako.reaper.ms})
 * @param decayMillis          how long free pages stay resident, and owners quiet before they are collected for
 *                             ({@code hako.decay.ms})
 * @param decayAdvice          {@code dontneed} or {@code free} ({@code hako.decay.advice})
 * @param parcelOpen           strategy parcel: open parcels per thread ({@code hako.parcel.open})
 * @param parcelBudget         strategy parcel: bytes of blocks a thread's open parcels hold ({@code hako.parcel.budget})
 * @param parcelMissFlush      strategy parcel: a refill miss ships open parcels this full (0: never;
 *                             {@code hako.parcel.missFlush})
 */
public record HakoConfig(long arenaBytes, int maxOwners, int sharedHeaps, int virtualHeaps, String remote,
                         long reaperIntervalMillis,
                         long decayMillis, String decayAdvice, int parcelOpen, long parcelBudget,
                         int parcelMissFlush) {
    /** {@code hako.remote}. */
    public static final String REMOTE_PROPERTY = "hako.remote";
    /** {@code hako.arena}. */
    public static final String ARENA_PROPERTY = "hako.arena";
    /** {@code hako.owners}. */
    public static final String OWNERS_PROPERTY = "hako.owners";
    /** {@code hako.shared}. */
    public static final String SHARED_PROPERTY = "hako.shared";
    /** {@code hako.virtual}. */
    public static final String VIRTUAL_PROPERTY = "hako.virtual";
    /** {@code hako.reaper.ms}. */
    public static final String REAPER_PROPERTY = "hako.reaper.ms";
    /** {@code hako.decay.ms}. */
    public static final String DECAY_PROPERTY = "hako.decay.ms";
    /** {@code hako.decay.advice}. */
    public static final String DECAY_ADVICE_PROPERTY = "hako.decay.advice";
    /** {@code hako.parcel.open}. */
    public static final String PARCEL_OPEN_PROPERTY = "hako.parcel.open";
    /** {@code hako.parcel.budget}. */
    public static final String PARCEL_BUDGET_PROPERTY = "hako.parcel.budget";
    /** {@code hako.parcel.missFlush}. */
    public static final String PARCEL_MISS_FLUSH_PROPERTY = "hako.parcel.missFlush";
    /** {@code hako.stats}: a process-wide switch, read once at class load (not a record component). */
    public static final String STATS_PROPERTY = "hako.stats";
    /** {@code hako.checked}. */
    public static final String CHECKED_PROPERTY = "hako.checked";
    /** {@code hako.jmx}. */
    public static final String JMX_PROPERTY = "hako.jmx";
    /** {@code hako.decay.advice=dontneed}: {@code MADV_DONTNEED}. */
    public static final String ADVICE_DONTNEED = "dontneed";
    /** {@code hako.decay.advice=free}: {@code MADV_FREE}. */
    public static final String ADVICE_FREE = "free";

    /**
     * Checks every field against its limits.
     *
     * @throws IllegalArgumentException naming the first field out of its limits
     */
    public HakoConfig {
        if (arenaBytes < SizeClasses.PAGE * 16 || arenaBytes % SizeClasses.PAGE != 0) {
            throw new IllegalArgumentException("arena must be a multiple of 64 KiB and at least 1 MiB: " + arenaBytes);
        }
        if (sharedHeaps < 1 || maxOwners <= sharedHeaps || maxOwners > PageMap.MAX_OWNER) {
            throw new IllegalArgumentException("need 1 <= sharedHeaps < maxOwners <= " + PageMap.MAX_OWNER
                    + ", got shared=" + sharedHeaps + " owners=" + maxOwners);
        }
        if (virtualHeaps < 0) throw new IllegalArgumentException(VIRTUAL_PROPERTY + " must be >= 0, was " + virtualHeaps);
        if (reaperIntervalMillis < 1) throw new IllegalArgumentException("reaper interval must be >= 1 ms");
        if (decayMillis < 0) throw new IllegalArgumentException("decay must be >= 0 ms, was " + decayMillis);
        if (!ADVICE_DONTNEED.equals(decayAdvice) && !ADVICE_FREE.equals(decayAdvice)) {
            throw new IllegalArgumentException("decay advice must be '" + ADVICE_DONTNEED + "' or '" + ADVICE_FREE
                    + "', was '" + decayAdvice + "'");
        }
        RemoteStrategies.requireKnown(remote);
        if (parcelOpen < 1) throw new IllegalArgumentException(PARCEL_OPEN_PROPERTY + " must be >= 1, was " + parcelOpen);
        if (parcelBudget < 0) {
            throw new IllegalArgumentException(PARCEL_BUDGET_PROPERTY + " must be >= 0, was " + parcelBudget);
        }
        if (parcelMissFlush < 0) {
            throw new IllegalArgumentException(PARCEL_MISS_FLUSH_PROPERTY + " must be >= 0, was " + parcelMissFlush);
        }
        // parcel keeps, per id, an open-parcel slot for every owner: (owners + 1)^2 words of address space.
        if (remote.equals("parcel") && maxOwners > MAX_PARCEL_OWNERS) {
            throw new IllegalArgumentException("remote=parcel serves at most " + MAX_PARCEL_OWNERS + " owner ids (its"
                    + " per-thread tables need 8 * owners^2 bytes of address space: " + (8L * maxOwners * maxOwners
                    >> 30) + " GiB for " + maxOwners + "); lower " + OWNERS_PROPERTY + " or pick another "
                    + REMOTE_PROPERTY);
        }
    }

    /** The most owner ids strategy {@code parcel} serves: its tables then take 512 GiB of address space, reserved
     * without commit charge and touched only where used. */
    public static final int MAX_PARCEL_OWNERS = 1 << 18;

    /**
     * Every {@code hako.*} property, in the order of the table above.
     *
     * @return the property names
     */
    public static java.util.List<String> propertyNames() {
        return java.util.List.of(REMOTE_PROPERTY, PARCEL_BUDGET_PROPERTY, PARCEL_OPEN_PROPERTY,
                PARCEL_MISS_FLUSH_PROPERTY, ARENA_PROPERTY, OWNERS_PROPERTY, SHARED_PROPERTY, VIRTUAL_PROPERTY,
                REAPER_PROPERTY, DECAY_PROPERTY, DECAY_ADVICE_PROPERTY, STATS_PROPERTY, CHECKED_PROPERTY, JMX_PROPERTY);
    }

    /**
     * The names {@code hako.remote} accepts, in the order reports list them.
     *
     * @return the strategies' names
     */
    public static java.util.List<String> remoteStrategies() {
        return RemoteStrategies.names();
    }

    /**
     * The defaults of the table above.
     *
     * @return a configuration with no property applied
     */
    public static HakoConfig defaults() {
        return builder().build();
    }

    /**
     * The defaults with every {@code hako.*} system property applied.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming a property whose value is not valid
     */
    public static HakoConfig fromSystemProperties() {
        Builder b = builder();
        String v;
        if ((v = System.getProperty(REMOTE_PROPERTY)) != null) b.remote(v.trim());
        if ((v = System.getProperty(ARENA_PROPERTY)) != null) b.arenaBytes(parseBytes(v));
        if ((v = System.getProperty(OWNERS_PROPERTY)) != null) b.maxOwners((int) parseLong(OWNERS_PROPERTY, v));
        if ((v = System.getProperty(SHARED_PROPERTY)) != null) b.sharedHeaps((int) parseLong(SHARED_PROPERTY, v));
        if ((v = System.getProperty(VIRTUAL_PROPERTY)) != null) b.virtualHeaps((int) parseLong(VIRTUAL_PROPERTY, v));
        if ((v = System.getProperty(REAPER_PROPERTY)) != null) b.reaperIntervalMillis(parseLong(REAPER_PROPERTY, v));
        if ((v = System.getProperty(DECAY_PROPERTY)) != null) b.decayMillis(parseLong(DECAY_PROPERTY, v));
        if ((v = System.getProperty(DECAY_ADVICE_PROPERTY)) != null) b.decayAdvice(v.trim());
        if ((v = System.getProperty(PARCEL_OPEN_PROPERTY)) != null) b.parcelOpen((int) parseLong(PARCEL_OPEN_PROPERTY, v));
        if ((v = System.getProperty(PARCEL_BUDGET_PROPERTY)) != null) b.parcelBudget(parseBytes(v));
        if ((v = System.getProperty(PARCEL_MISS_FLUSH_PROPERTY)) != null) {
            b.parcelMissFlush((int) parseLong(PARCEL_MISS_FLUSH_PROPERTY, v));
        }
        return b.build();
    }

    private static long parseLong(String property, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number, was '" + text + "'", e);
        }
    }

    /**
     * Parses {@code 123}, {@code 64k}, {@code 512m}, {@code 64g}, {@code 1t}.
     *
     * @param text the size
     * @return the bytes
     * @throws IllegalArgumentException if it is not a byte size
     */
    public static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> { }
        }
        if (unit != 1) t = t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a byte size: '" + text + "'", e);
        }
    }

    /**
     * One line naming every resolved setting, for logs and reports.
     *
     * @return {@code remote=.. arena=..MiB ...}
     */
    public String describe() {
        return "remote=" + remote + " arena=" + (arenaBytes >> 20) + "MiB owners=" + maxOwners + " shared="
                + sharedHeaps + " virtual=" + virtualHeaps + " reaper_ms=" + reaperIntervalMillis + " decay_ms=" + decayMillis + " decay_advice="
                + decayAdvice + " parcel_open=" + parcelOpen + " parcel_budget=" + parcelBudget
                + " parcel_miss_flush=" + parcelMissFlush + " stats=" + Stats.ENABLED + " checked=" + Checked.ENABLED
                + " jmx=" + AllocatorMonitor.JMX;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder().arenaBytes(arenaBytes).maxOwners(maxOwners).sharedHeaps(sharedHeaps).virtualHeaps(virtualHeaps)
                .remote(remote).reaperIntervalMillis(reaperIntervalMillis).decayMillis(decayMillis).decayAdvice(decayAdvice)
                .parcelOpen(parcelOpen).parcelBudget(parcelBudget).parcelMissFlush(parcelMissFlush);
    }

    /** Builds a {@link HakoConfig}; each setter names the record component it sets. */
    public static final class Builder {
        Builder() {}

        private long arenaBytes = 64L << 30;
        private int maxOwners = 1024;
        private int sharedHeaps = Math.max(2, Math.min(16, Runtime.getRuntime().availableProcessors()));
        private int virtualHeaps = 4 * Runtime.getRuntime().availableProcessors();
        private String remote = RemoteStrategies.DEFAULT;
        private long reaperIntervalMillis = 200;
        private long decayMillis = 500;
        private String decayAdvice = ADVICE_DONTNEED;
        private int parcelOpen = 256;
        private long parcelBudget = 1L << 20;
        private int parcelMissFlush;

        /**
         * Sets {@link HakoConfig#arenaBytes()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder arenaBytes(long v) {
            arenaBytes = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#maxOwners()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder maxOwners(int v) {
            maxOwners = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#sharedHeaps()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder sharedHeaps(int v) {
            sharedHeaps = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#virtualHeaps()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder virtualHeaps(int v) {
            virtualHeaps = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#remote()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder remote(String v) {
            remote = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#reaperIntervalMillis()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder reaperIntervalMillis(long v) {
            reaperIntervalMillis = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#decayMillis()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder decayMillis(long v) {
            decayMillis = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#decayAdvice()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder decayAdvice(String v) {
            decayAdvice = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#parcelOpen()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder parcelOpen(int v) {
            parcelOpen = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#parcelBudget()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder parcelBudget(long v) {
            parcelBudget = v;
            return this;
        }

        /**
         * Sets {@link HakoConfig#parcelMissFlush()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder parcelMissFlush(int v) {
            parcelMissFlush = v;
            return this;
        }

        /**
         * The configuration.
         *
         * @return it
         * @throws IllegalArgumentException if a setting is out of range
         */
        public HakoConfig build() {
            return new HakoConfig(arenaBytes, maxOwners, sharedHeaps, virtualHeaps, remote, reaperIntervalMillis, decayMillis,
                    decayAdvice, parcelOpen, parcelBudget, parcelMissFlush);
        }
    }
}
