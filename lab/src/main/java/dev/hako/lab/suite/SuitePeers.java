package dev.hako.lab.suite;

import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.GlibcPeer;
import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.peers.JemallocPeer;
import dev.hako.lab.peers.MimallocPeer;
import dev.hako.lab.peers.NativeLibPeer;
import dev.hako.lab.peers.Peer;
import dev.hako.lab.peers.Peers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers the suite runs: the lab's address peers that really allocate ({@code hako}, {@code glibc},
 * {@code jemalloc}, {@code mimalloc}, {@code native:PATH}), optionally with the A/B specs' options
 * ({@code hako:remote=parcel}).
 */
public final class SuitePeers {
    private SuitePeers() {}

    /** The default {@code --allocators}. */
    public static final List<String> DEFAULT = List.of(HakoPeer.NAME, GlibcPeer.NAME, JemallocPeer.NAME,
            MimallocPeer.NAME);

    private static final Pattern OPTION = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*=.*");

    /**
     * Parses a comma-separated list of specs. A comma followed by {@code key=value} continues the previous spec's
     * options ({@code hako:remote=inbox,hako.arena=8g,glibc} is two specs).
     *
     * @throws IllegalArgumentException for a bad spec, a peer the suite cannot run, or a spec given twice
     */
    public static List<VariantSpec> parse(List<String> items) {
        List<String> texts = new ArrayList<>();
        for (String item : items) {
            for (String token : item.split(",", -1)) {
                if (!texts.isEmpty() && OPTION.matcher(token).matches() && !token.startsWith(NativeLibPeer.PREFIX)) {
                    texts.set(texts.size() - 1, texts.getLast() + "," + token);
                } else {
                    texts.add(token);
                }
            }
        }
        List<VariantSpec> specs = new ArrayList<>();
        for (String text : texts) {
            VariantSpec spec = VariantSpec.parse(text);
            check(spec.allocator());
            if (specs.stream().anyMatch(s -> s.text().equals(spec.text()))) {
                throw new IllegalArgumentException("allocator '" + spec.text() + "' given twice");
            }
            specs.add(spec);
        }
        if (specs.isEmpty()) throw new IllegalArgumentException("no allocator given");
        return specs;
    }

    /** @throws IllegalArgumentException unless the suite can run {@code allocator} */
    public static void check(String allocator) {
        if (allocator.startsWith(NativeLibPeer.PREFIX) || DEFAULT.contains(allocator)) return;
        if (allocator.equals("noop")) {
            throw new IllegalArgumentException("allocator 'noop' cannot run the suite: it never frees, and the"
                    + " workloads write and check their blocks; use " + String.join(", ", DEFAULT) + " or native:PATH");
        }
        if (Peers.names().contains(allocator)) {
            throw new IllegalArgumentException("allocator '" + allocator + "' is object-based; the suite runs the"
                    + " address peers " + String.join(", ", DEFAULT) + " and native:PATH");
        }
        throw new IllegalArgumentException("unknown allocator '" + allocator + "'; the suite runs "
                + String.join(", ", DEFAULT) + " and native:PATH");
    }

    /** Creates the peer in this JVM. @throws IllegalArgumentException if the suite cannot run it */
    public static AddressPeer create(String allocator) {
        check(allocator);
        Peer peer = Peers.create(allocator, null);
        if (peer instanceof AddressPeer a) return a;
        peer.close();
        throw new IllegalArgumentException("allocator '" + allocator + "' is not an address peer");
    }
}
