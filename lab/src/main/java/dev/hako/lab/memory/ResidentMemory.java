package dev.hako.lab.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set from {@code /proc/self/status} (Linux), read with one small buffer so that a sampler
 * can call it many times a second without feeding the garbage collector.
 */
final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private final byte[] buffer = new byte[8192];

    /** {@code VmRSS} in KiB, or -1 where unavailable. */
    long rssKb() {
        return field("VmRSS:");
    }

    /** {@code VmHWM} (the resident high-water mark) in KiB, or -1. */
    long peakKb() {
        return field("VmHWM:");
    }

    /**
     * Resets {@code VmHWM} to the current resident set (Linux 4.0+: {@code echo 5 > /proc/self/clear_refs}), so
     * that it covers what comes next only.
     *
     * @return whether the kernel accepted it
     */
    static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private synchronized long field(String name) {
        int n;
        try (InputStream in = Files.newInputStream(STATUS)) {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            return -1;
        }
        int at = indexOf(buffer, n, name);
        if (at < 0) return -1;
        long v = 0;
        boolean digits = false;
        for (int i = at + name.length(); i < n; i++) {
            byte b = buffer[i];
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                digits = true;
            } else if (digits || b == '\n') {
                break;
            }
        }
        return digits ? v : -1;
    }

    /** Where {@code name} starts a line of {@code buf[0..n)}, or -1. */
    private static int indexOf(byte[] buf, int n, String name) {
        outer:
        for (int i = 0; i + name.length() <= n; i++) {
            if (i > 0 && buf[i - 1] != '\n') continue;
            for (int k = 0; k < name.length(); k++) {
                if (buf[i + k] != name.charAt(k)) continue outer;
            }
            return i;
        }
        return -1;
    }
}
