import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.suite.SuiteCase;
import dev.hako.lab.suite.SuitePeers;
import dev.hako.lab.suite.Workloads;

/** One suite workload on Hako with -Dhako.stats=true (warm-up at a tenth, then full size); prints Hako's counters. */
public class CounterRun {
    public static void main(String[] args) throws Exception {
        SuiteCase c = Workloads.byName(args[0]);
        AddressPeer peer = SuitePeers.create("hako");
        int t = c.threads(2);
        c.workload().run(peer, t, 0.1);
        long t0 = System.nanoTime();
        c.workload().run(peer, t, 1.0);
        System.out.printf("workload=%s seconds=%.3f%n", args[0], (System.nanoTime() - t0) / 1e9);
        System.out.println(((HakoPeer) peer).stats().line());
        peer.close();
    }
}
