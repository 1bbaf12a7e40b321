package dev.hako.lab.ab;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Attributes JFR execution samples to Hako's remote-free producer path: the seed's "push_one cycles", measured in
 * Java as the share of CPU samples whose stack passes through a strategy's producer side.
 *
 * <p>A producer frame is a method named {@code free} or {@code flushProducer} of a class in {@code dev.hako.remote}
 * or below: the producer entry points of {@code RemoteFree}. Everything those call (CAS loops, outbox writes, page
 * faults on the written block) sits above that frame on the stack, so counting stacks that contain it charges
 * the whole producer path, and nothing of the owner side ({@code collect}). JFR records inlined frames as frames, so
 * C2's inlining does not hide it.
 */
public final class JfrPushPath {
    public static final String EVENT = "jdk.ExecutionSample";
    public static final String PACKAGE = "dev.hako.remote";
    private static final List<String> PRODUCER_METHODS = List.of("free", "flushProducer");

    private JfrPushPath() {}

    /** Whether a frame of {@code className.method} is on the remote-free producer path. */
    public static boolean isProducerFrame(String className, String method) {
        return (className.equals(PACKAGE) || className.startsWith(PACKAGE + ".")) && PRODUCER_METHODS.contains(method);
    }

    /** Reads {@code recording} and counts its execution samples against the producer path. */
    public static SampleShare read(Path recording) throws IOException {
        return read(recording, JfrPushPath::isProducerFrame);
    }

    /** As {@link #read(Path)} with another frame predicate (tests). */
    static SampleShare read(Path recording, BiPredicate<String, String> pathFrame) throws IOException {
        long total = 0;
        long push = 0;
        Map<String, Long> top = new HashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals(EVENT)) continue;
                total++;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null) continue;
                List<RecordedFrame> frames = stack.getFrames();
                for (RecordedFrame f : frames) {
                    RecordedMethod m = f.getMethod();
                    if (m != null && m.getType() != null && pathFrame.test(m.getType().getName(), m.getName())) {
                        push++;
                        top.merge(name(frames.getFirst()), 1L, Long::sum);
                        break;
                    }
                }
            }
        }
        return new SampleShare(total, push, top);
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null || m.getType() == null) return "?";
        String cls = m.getType().getName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + m.getName();
    }
}
