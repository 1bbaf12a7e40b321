package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(HakoEvents.PURGE)
@Label("Purge")
@Description("Free pages of the page pool returned to the kernel (madvise): their decay delay had passed, or a trim"
        + " asked for all of them; the duration is the purge's")
final class PurgeEvent extends HakoEvent {
    static final PurgeEvent INSTANCE = new PurgeEvent();

    @Label("Bytes")
    @Description("Bytes returned to the kernel")
    @DataAmount
    long bytes;

    @Label("Runs")
    @Description("Runs of contiguous free pages returned")
    int runs;

    @Label("Failed Runs")
    @Description("Runs the kernel refused to take (they stay resident; a later purge retries)")
    int failedRuns;

    @Label("All")
    @Description("Every free page whatever its age (a trim), not only those past the decay delay")
    boolean all;
}
