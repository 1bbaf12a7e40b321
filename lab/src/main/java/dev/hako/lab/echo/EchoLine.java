package dev.hako.lab.echo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The line one echo run prints, and what the parent reads back:
 * {@code echo: allocator=.. connections=.. size=.. msgs_per_s=.. mib_per_s=.. peak_rss_mib=.. direct_mib=.. gcs=..
 * gc_ms=.. messages=.. seconds=..}.
 *
 * @param allocator   the variant's label (its spec)
 * @param msgsPerS    round trips per second
 * @param mibPerS     payload echoed per second ({@code msgs_per_s * size}, counted once), MiB
 * @param peakRssMib  the JVM's peak resident set (VmHWM) at the end of the run, warm-up included, MiB
 * @param directMib   the allocator's own {@code usedDirectMemory} at the end of the window, MiB (-1 if unknown)
 * @param gcs         garbage collections in the window
 * @param gcMillis    their time as the collectors report it
 * @param messages    round trips in the window
 * @param seconds     the window
 */
public record EchoLine(String allocator, int connections, int size, double msgsPerS, double mibPerS,
                       double peakRssMib, double directMib, long gcs, long gcMillis, long messages,
                       double seconds) {
    public static final String PREFIX = "echo:";
    private static final double MIB = 1024.0 * 1024.0;

    /** The line of a run: {@code peakRssKb} from /proc, {@code directBytes} from the allocator's metric or -1. */
    public static EchoLine of(String allocator, int connections, int size, EchoPipeline.Result r, long peakRssKb) {
        double perS = r.messagesPerSecond();
        return new EchoLine(allocator, connections, size, perS, perS * size / MIB, peakRssKb / 1024.0,
                r.directBytes() < 0 ? -1 : r.directBytes() / MIB, r.gcCount(), r.gcMillis(), r.messages(), r.seconds());
    }

    public String format() {
        return String.format(Locale.ROOT, "%s allocator=%s connections=%d size=%d msgs_per_s=%.1f mib_per_s=%.2f"
                        + " peak_rss_mib=%.1f direct_mib=%.1f gcs=%d gc_ms=%d messages=%d seconds=%.3f", PREFIX,
                allocator, connections, size, msgsPerS, mibPerS, peakRssMib, directMib, gcs, gcMillis, messages,
                seconds);
    }

    /**
     * The last {@code echo:} line of a run's output.
     *
     * @throws IllegalArgumentException if there is none or a field is missing or malformed
     */
    public static EchoLine parse(String output) {
        String line = null;
        for (String l : output.split("\\R")) if (l.startsWith(PREFIX + " ")) line = l;
        if (line == null) throw new IllegalArgumentException("no '" + PREFIX + "' line in the output");
        Map<String, String> kv = new LinkedHashMap<>();
        for (String token : line.substring(PREFIX.length()).strip().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) kv.put(token.substring(0, eq), token.substring(eq + 1));
        }
        try {
            return new EchoLine(field(kv, "allocator"), Integer.parseInt(field(kv, "connections")),
                    Integer.parseInt(field(kv, "size")), Double.parseDouble(field(kv, "msgs_per_s")),
                    Double.parseDouble(field(kv, "mib_per_s")), Double.parseDouble(field(kv, "peak_rss_mib")),
                    Double.parseDouble(field(kv, "direct_mib")), Long.parseLong(field(kv, "gcs")),
                    Long.parseLong(field(kv, "gc_ms")), Long.parseLong(field(kv, "messages")),
                    Double.parseDouble(field(kv, "seconds")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed echo line: " + line, e);
        }
    }

    private static String field(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) throw new IllegalArgumentException("the echo line has no " + key + "=");
        return v;
    }
}
