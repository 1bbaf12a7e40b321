package dev.hako.lab.ab;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JfrPushPathTest {
    @Test
    void producerFramesAreFreeAndFlushInTheRemotePackage() {
        assertTrue(JfrPushPath.isProducerFrame("dev.hako.remote.PushRemoteFree", "free"));
        assertTrue(JfrPushPath.isProducerFrame("dev.hako.remote.mailbox.MailboxRemoteFree", "flushProducer"));
        assertFalse(JfrPushPath.isProducerFrame("dev.hako.remote.PushRemoteFree", "collect"), "owner side");
        assertFalse(JfrPushPath.isProducerFrame("dev.hako.cache.ThreadCache", "free"), "not a strategy");
        assertFalse(JfrPushPath.isProducerFrame("dev.hako.remoteX.Foo", "free"), "another package");
    }

    /** Records this JVM spinning in a known method and finds those samples in the file. */
    @Test
    void countsSamplesWhoseStackHoldsAPathFrame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spin.jfr");
        try (Recording r = new Recording()) {
            r.enable(JfrPushPath.EVENT).withPeriod(Duration.ofMillis(1));
            r.start();
            long sink = outerSpin(600);
            r.stop();
            r.dump(file);
            assertTrue(sink != 42);
        }
        SampleShare s = JfrPushPath.read(file, (cls, m) -> cls.equals(JfrPushPathTest.class.getName()) && m.equals("outerSpin"));
        assertTrue(s.total() > 0, "samples recorded");
        assertTrue(s.pushPath() > 0, "samples below outerSpin: " + s);
        assertTrue(s.topOfPushPath().keySet().stream().anyMatch(k -> k.endsWith("innerSpin")), s.topOfPushPath().toString());
        SampleShare none = JfrPushPath.read(file);
        assertEquals(s.total(), none.total());
        assertEquals(0, none.pushPath(), "no dev.hako.remote frames in this JVM's samples");
    }

    private static long outerSpin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < end) x = innerSpin(x);
        return x;
    }

    private static long innerSpin(long x) {
        for (int i = 0; i < 10_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        return x;
    }
}
