package dev.hako.lab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Facts about the machine and JDK that a reader needs to judge a result: cores, CPU, memory, kernel, JDK, build
 * commit and the load when the experiment started and ended (a shared machine's other tenants show there).
 */
public final class MachineFacts {
    private MachineFacts() {}

    /** Facts at the start, in display order. {@code home} is the checkout (for the commit), or null. */
    public static Map<String, String> collect(Path home) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        f.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
        f.put("cpu", cpuModel());
        f.put("virtualized", cpuFlags().contains("hypervisor") ? "yes (hypervisor flag in /proc/cpuinfo)" : "no flag");
        f.put("memory", procField("/proc/meminfo", "MemTotal:"));
        f.put("kernel", System.getProperty("os.name") + " " + firstLine("/proc/sys/kernel/osrelease") + " "
                + System.getProperty("os.arch"));
        f.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + ")");
        f.put("java", ProcessHandle.current().info().command().orElse("?"));
        f.put("commit", home == null ? "unknown" : commit(home));
        f.put("load at start", loadAverage());
        return f;
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute averages, or "unknown". */
    public static String loadAverage() {
        String s = firstLine("/proc/loadavg");
        String[] p = s.split("\\s+");
        return p.length >= 3 ? p[0] + " " + p[1] + " " + p[2] + " (1/5/15 min)" : s;
    }

    private static String cpuModel() {
        return procField("/proc/cpuinfo", "model name");
    }

    private static String cpuFlags() {
        return procField("/proc/cpuinfo", "flags");
    }

    private static String procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    String v = line.substring(name.length()).strip();
                    return v.startsWith(":") ? v.substring(1).strip() : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String firstLine(String file) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            return lines.isEmpty() ? "unknown" : lines.getFirst().strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** {@code git rev-parse --short HEAD}, with {@code +dirty} when the working tree has changes; "unknown" without git. */
    static String commit(Path home) {
        String head = git(home, "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) return "unknown";
        String status = git(home, "status", "--porcelain", "--untracked-files=no");
        return status.isEmpty() ? head : head + "+dirty";
    }

    private static String git(Path home, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", home.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return "";
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
