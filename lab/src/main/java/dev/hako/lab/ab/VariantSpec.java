package dev.hako.lab.ab;

import dev.hako.HakoConfig;
import dev.hako.lab.peers.NativeLibPeer;
import dev.hako.lab.peers.NettyPeer;
import dev.hako.lab.peers.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one side of an experiment runs: an allocator of the benchmark and the system properties of its JVM.
 *
 * <pre>
 * SPEC      := ALLOCATOR [ ':' OPTION ( ',' OPTION )* ]
 * ALLOCATOR := hako | noop | glibc | jemalloc | mimalloc | netty-pooled | netty-adaptive | netty-hako
 *            | native:PATH[:MALLOC:FREE]
 * OPTION    := remote=NAME        -Dhako.remote=NAME   (hako, netty-hako; a known remote-free strategy)
 *            | hako.KEY=VALUE     -Dhako.KEY=VALUE     (hako, netty-hako; a known Hako property except hako.stats)
 *            | a.dotted.key=VALUE -Da.dotted.key=VALUE (any allocator, e.g. io.netty.allocator.maxOrder=9)
 *            | build=DIR           run another build of the lab: DIR is its lab/target (hako-lab.jar and lib/),
 *                                  for before/after A/B of a change (e.g. a clone of the previous commit)
 * </pre>
 * Examples: {@code hako}, {@code hako:remote=push}, {@code hako:remote=mailbox2,hako.arena=8g}, {@code netty-pooled},
 * {@code native:/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4}. For {@code native:PATH} the options start at the first
 * {@code :} followed by {@code key=} (so {@code native:/lib/libjemalloc.so:je_malloc:je_free} keeps its symbol names). {@code hako.stats} is the lab's: it turns counters on only in counter runs.
 *
 * @param text       the spec as written (also its label in reports)
 * @param allocator  the bench's {@code --allocator} value
 * @param properties system properties for the JVM, in the order written
 * @param build      another build's lab/target directory to run, or {@code null} for this build
 */
public record VariantSpec(String text, String allocator, Map<String, String> properties, String build) {
    /** The bench's peers ({@code native:PATH} is accepted besides these). */
    public static final List<String> ALLOCATORS = Peers.names();
    public static final String NATIVE_PREFIX = NativeLibPeer.PREFIX;

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern OPTION_START = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*=.*");
    /** Every Hako knob (HakoConfig's table) but the counters, which the lab sets itself in counter runs. */
    private static final List<String> HAKO_KEYS = HakoConfig.propertyNames().stream()
            .filter(p -> !p.equals(HakoConfig.STATS_PROPERTY)).toList();

    public VariantSpec {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Whether the variant runs Hako (so it has counters and a push path to profile). */
    public boolean isHako() {
        return allocator.equals("hako");
    }

    /** The remote-free strategy asked for, or null (Hako's default, or not Hako). */
    public String remote() {
        return properties.get(HakoConfig.REMOTE_PROPERTY);
    }

    /** A short name for chart axes: {@code hako/mailbox2}, {@code hako/push+1}, {@code glibc}. */
    public String shortLabel() {
        String base = allocator.startsWith(NATIVE_PREFIX)
                ? "native:" + allocator.substring(allocator.lastIndexOf('/') + 1) : allocator;
        String remote = remote();
        if (remote != null) base += "/" + remote;
        int others = properties.size() - (remote != null ? 1 : 0);
        return others > 0 ? base + "+" + others : base;
    }

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static VariantSpec parse(String spec) {
        if (spec == null || spec.isBlank()) throw bad(spec, "empty spec; expected ALLOCATOR[:key=value,...]");
        String text = spec.strip();
        if (text.chars().anyMatch(Character::isWhitespace)) throw bad(text, "no spaces allowed");
        int sep = optionsSeparator(text, text.startsWith(NATIVE_PREFIX));
        String allocator = sep < 0 ? text : text.substring(0, sep);
        checkAllocator(text, allocator);
        Map<String, String> props = new LinkedHashMap<>();
        String build = null;
        if (sep >= 0) {
            String options = text.substring(sep + 1);
            if (options.isEmpty()) throw bad(text, "nothing after ':'; expected key=value[,key=value...]");
            for (String option : options.split(",", -1)) {
                if (option.startsWith(BUILD_KEY)) {
                    if (build != null) throw bad(text, "'build' given twice");
                    build = checkBuild(text, option.substring(BUILD_KEY.length()));
                } else {
                    addOption(text, allocator, option, props);
                }
            }
        }
        return new VariantSpec(text, allocator, props, build);
    }

    private static final String BUILD_KEY = "build=";

    private static String checkBuild(String text, String dir) {
        Path lab = Path.of(dir);
        if (!Files.isRegularFile(lab.resolve("hako-lab.jar")) || !Files.isDirectory(lab.resolve("lib"))) {
            throw bad(text, "build=" + dir + " is not a lab/target directory (hako-lab.jar and lib/)");
        }
        return lab.toAbsolutePath().toString();
    }

    /** Where the options start: the first ':', or for native:PATH the first ':' followed by key=; -1 if none. */
    private static int optionsSeparator(String text, boolean nativeLib) {
        if (!nativeLib) return text.indexOf(':');
        for (int i = text.indexOf(':', NATIVE_PREFIX.length()); i >= 0; i = text.indexOf(':', i + 1)) {
            if (OPTION_START.matcher(text.substring(i + 1)).matches()) return i;
        }
        return -1;
    }

    private static void checkAllocator(String text, String allocator) {
        if (allocator.startsWith(NATIVE_PREFIX)) {
            if (allocator.length() == NATIVE_PREFIX.length()) throw bad(text, "native: needs a library path");
            return;
        }
        if (!ALLOCATORS.contains(allocator)) {
            throw bad(text, "unknown allocator '" + allocator + "'; known: " + String.join(", ", ALLOCATORS)
                    + ", native:/path/to/lib.so");
        }
    }

    private static void addOption(String text, String allocator, String option, Map<String, String> props) {
        int eq = option.indexOf('=');
        if (eq <= 0) throw bad(text, "option '" + option + "' is not key=value");
        String key = option.substring(0, eq);
        String value = option.substring(eq + 1);
        if (value.isEmpty()) throw bad(text, "option '" + key + "' has an empty value");
        if (!KEY.matcher(key).matches()) throw bad(text, "'" + key + "' is not a valid key");
        String property;
        if (key.equals("remote")) {
            property = HakoConfig.REMOTE_PROPERTY;
        } else if (key.indexOf('.') < 0) {
            throw bad(text, "unknown option '" + key + "'; options are remote=NAME, hako.KEY=VALUE, or a dotted"
                    + " system property");
        } else {
            property = key;
        }
        if (property.equals(HakoConfig.STATS_PROPERTY)) {
            throw bad(text, "hako.stats is set by the lab (counter runs, see --counter-runs); timed runs keep it off");
        }
        if (property.startsWith("hako.")) {
            if (!allocator.equals("hako") && !allocator.equals(NettyPeer.HAKO)) {
                throw bad(text, "'" + key + "' applies only to the hako allocator and " + NettyPeer.HAKO);
            }
            if (!HAKO_KEYS.contains(property)) {
                throw bad(text, "unknown Hako property '" + property + "'; known: " + String.join(", ", HAKO_KEYS));
            }
            if (property.equals(HakoConfig.REMOTE_PROPERTY)) checkStrategy(text, value);
        }
        if (props.putIfAbsent(property, value) != null) throw bad(text, "'" + property + "' given twice");
    }

    private static void checkStrategy(String text, String strategy) {
        // The forked JVMs share this classpath, so the strategies known here are exactly those they can run.
        if (!HakoConfig.remoteStrategies().contains(strategy)) {
            throw bad(text, "unknown remote-free strategy '" + strategy + "'; known on this build: "
                    + String.join(", ", HakoConfig.remoteStrategies()));
        }
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("bad variant spec '" + spec + "': " + why);
    }

    @Override
    public String toString() {
        return text;
    }
}
