package org.jqga.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Programs on this machine and facts about it, for the report's header. */
final class Tools {
    private Tools() {
    }

    /** {@code program} on PATH, or in /usr/sbin or /sbin (where Debian puts qemu-ga). */
    static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The first line a command prints (stdout and stderr together), or why there is none. */
    static String firstLine(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("(no output)").strip();
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** Kernel, CPU model and count, memory: what makes figures from two machines incomparable. */
    static String hostSummary() {
        String kernel = read("/proc/sys/kernel/osrelease").strip();
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        String mem = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D+", "")) / 1024 + " MiB").orElse("? MiB");
        return "Linux " + kernel + ", " + Runtime.getRuntime().availableProcessors() + " x " + cpu + ", " + mem;
    }

    /**
     * The 1/5/15-minute load averages, flagged when above the CPU count: other work on the machine then competes
     * with the agents, and start-up figures in particular grow with it.
     */
    static String loadAverage() {
        String[] f = read("/proc/loadavg").split("\\s+");
        if (f.length < 3) {
            return "unknown";
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        String load = f[0] + " " + f[1] + " " + f[2];
        return Double.parseDouble(f[0]) > cpus ? load + " (busy: more than " + cpus + " CPUs' worth; figures are"
                + " inflated)" : load;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("bench: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
