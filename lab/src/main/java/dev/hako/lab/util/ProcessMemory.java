package dev.hako.lab.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, from {@code /proc/self/status} (Linux). */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Peak resident set (VmHWM) in KiB, or -1 where unavailable. */
    public static long peakRssKb() {
        return field("VmHWM:");
    }

    /** Current resident set (VmRSS) in KiB, or -1. */
    public static long rssKb() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
