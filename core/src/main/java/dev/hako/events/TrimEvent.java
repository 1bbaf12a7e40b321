package dev.hako.events;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name(HakoEvents.TRIM)
@Label("Trim")
@Description("HakoAllocator.trim(): caches, remote frees and wholly free pages given back, then every free page"
        + " returned to the kernel; the duration is the trim's")
@StackTrace(true) // rare, and who asked for it is the question
final class TrimEvent extends HakoEvent {
    static final TrimEvent INSTANCE = new TrimEvent();

    @Label("Returned Bytes")
    @Description("Bytes returned to the kernel by this trim")
    @DataAmount
    long returnedBytes;
}
