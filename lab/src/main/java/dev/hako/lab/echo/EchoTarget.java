package dev.hako.lab.echo;

import dev.hako.lab.ab.Summary;
import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.peers.NettyPeer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The target, judged per cell on medians: each {@code netty-hako} variant has at least
 * {@code netty-pooled}'s throughput and a lower peak RSS.
 *
 * @param variant     the netty-hako variant's index
 * @param msgsDeltaPct its median msgs/s against pooled's, in %
 * @param rssDeltaPct  its median peak RSS against pooled's, in %
 */
public record EchoTarget(EchoExperiment.Cell cell, int variant, double msgsDeltaPct, double rssDeltaPct) {

    public boolean throughputMet() {
        return msgsDeltaPct >= 0;
    }

    public boolean rssMet() {
        return rssDeltaPct < 0;
    }

    public boolean met() {
        return throughputMet() && rssMet();
    }

    /** Every (cell, netty-hako variant) judged against plain {@code netty-pooled}; empty if either is missing. */
    public static List<EchoTarget> judge(EchoExperiment e) {
        List<EchoTarget> out = new ArrayList<>();
        int pooled = e.config().plain(NettyPeer.POOLED);
        if (pooled < 0) return out;
        List<VariantSpec> vs = e.config().variants();
        for (EchoExperiment.Cell cell : e.config().cells()) {
            Summary pm = e.summary(cell, pooled, EchoLine::msgsPerS), pr = e.summary(cell, pooled, EchoLine::peakRssMib);
            if (pm.n() == 0) continue;
            for (int v = 0; v < vs.size(); v++) {
                if (!vs.get(v).allocator().equals(NettyPeer.HAKO)) continue;
                Summary hm = e.summary(cell, v, EchoLine::msgsPerS), hr = e.summary(cell, v, EchoLine::peakRssMib);
                if (hm.n() == 0) continue;
                out.add(new EchoTarget(cell, v, hm.deltaPctOver(pm), hr.deltaPctOver(pr)));
            }
        }
        return out;
    }

    /** {@code netty-hako vs netty-pooled at c=16 size=4096: msgs/s +3.1 % (met), peak RSS -12.0 % (met)}. */
    public String line(EchoExperiment e) {
        return String.format(Locale.ROOT, "%s vs %s at %s: msgs/s %+.1f %% (%s), peak RSS %+.1f %% (%s)",
                e.config().variants().get(variant).text(), NettyPeer.POOLED, cell.label(), msgsDeltaPct,
                throughputMet() ? "met" : "not met", rssDeltaPct, rssMet() ? "met" : "not met");
    }
}
