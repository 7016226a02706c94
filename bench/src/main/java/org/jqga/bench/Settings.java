package org.jqga.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The harness's command line. Unknown options and malformed values are refused with the option named. */
record Settings(
        boolean quick,
        int startReps,
        int pingWarmup,
        int pingSamples,
        int pipelinedWarmup,
        int pipelinedReps,
        int pipelineDepth,
        int fileReadReps,
        int fileMiB,
        int execReps,
        int reconnectWarmup,
        int reconnectBatches,
        int reconnectsPerBatch,
        int idleSeconds,
        Set<String> rows,
        Optional<List<String>> variants,
        Map<String, List<String>> customVariants,
        List<String> steady,
        Optional<Path> java,
        Optional<Path> aotJava,
        Optional<String> classPath,
        Optional<Path> qemuGa,
        boolean skipQemuGa,
        Path repo,
        Optional<Path> out) {

    static final List<String> ALL_ROWS = List.of("activated", "floor", "classes", "plain", "ping", "reconnect", "pipelined",
            "file-read", "exec");

    static final String USAGE = """
            usage: bench/run [options]
              --quick                 fewer repetitions and samples (a smoke run of every row, ~1-2 min)
              --reps N                repetitions of each start-up row (default 10, quick 3)
              --samples N             timed sequential pings (default 10000, quick 2000)
              --file-mib N            size of the guest-file-read file in MiB (default 64)
              --rows LIST             rows to run, from: activated,floor,classes,plain,ping,reconnect,
                                      pipelined,file-read,exec
                                      (default all; idle RSS comes with plain, peak RSS with the steady rows)
              --variants LIST         built-in jqga variants: default,tuned,tuned-jdkNN,aot-jdkNN
                                      (default: all that this machine can run)
              --variant NAME=COMMAND  also run jqga as COMMAND (split at spaces), e.g. a launcher:
                                      --variant launcher=/opt/jqga/bin/jqga ; agent options are appended
              --steady LIST           variants for the steady-state rows (default: default,tuned)
              --java PATH             java for the default and tuned variants (default: the JVM running this)
              --aot-java PATH         java of a JDK >= 25 for the AOT variants (default: newest in /usr/lib/jvm)
              --class-path CP         jqga's class path (default: REPO/agent/target/jqga-agent.jar:REPO/agent/target/lib/*)
              --qemu-ga PATH|none     the C agent (default: qemu-ga on PATH or in /usr/sbin)
              --repo DIR              the repository root (default: the current directory)
              --out FILE              JSON results (default: REPO/bench/target/bench-<timestamp>.json)
            """;

    static Settings parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, List<String>> custom = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick") || a.equals("--help") || a.equals("-h")) {
                opts.put(a.replaceFirst("^-+", ""), "true");
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                name = a.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (name.equals("variant")) {
                int e = value.indexOf('=');
                List<String> command = e > 0 ? List.of(value.substring(e + 1).trim().split("\\s+")) : List.of();
                if (e <= 0 || command.get(0).isEmpty()) {
                    throw new IllegalArgumentException("--variant=" + value + ": expected NAME=COMMAND");
                }
                custom.put(value.substring(0, e), command);
            } else if (!List.of("reps", "samples", "file-mib", "rows", "variants", "steady", "java", "aot-java",
                    "class-path", "qemu-ga", "repo", "out").contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
            } else {
                opts.put(name, value);
            }
        }
        if (opts.containsKey("help") || opts.containsKey("h")) {
            throw new UsageRequested();
        }
        boolean quick = opts.containsKey("quick");
        Set<String> rows = Set.copyOf(list(opts.getOrDefault("rows", String.join(",", ALL_ROWS))));
        for (String r : rows) {
            if (!ALL_ROWS.contains(r)) {
                throw new IllegalArgumentException("--rows: unknown row '" + r + "'; expected some of " + ALL_ROWS);
            }
        }
        String qemuGa = opts.get("qemu-ga");
        return new Settings(quick,
                positive(opts, "reps", quick ? 3 : 10),
                quick ? 1000 : 5000,
                positive(opts, "samples", quick ? 2000 : 10000),
                quick ? 2 : 5,
                quick ? 5 : 30,
                1000,
                quick ? 2 : 5,
                positive(opts, "file-mib", 64),
                quick ? 10 : 50,
                quick ? 200 : 1000,
                quick ? 5 : 20,
                quick ? 200 : 500,
                quick ? 3 : 5,
                rows,
                Optional.ofNullable(opts.get("variants")).map(Settings::list),
                custom,
                list(opts.getOrDefault("steady", "default,tuned")),
                Optional.ofNullable(opts.get("java")).map(Path::of),
                Optional.ofNullable(opts.get("aot-java")).map(Path::of),
                Optional.ofNullable(opts.get("class-path")),
                Optional.ofNullable(qemuGa).filter(q -> !q.equals("none")).map(Path::of),
                "none".equals(qemuGa),
                Path.of(opts.getOrDefault("repo", ".")).toAbsolutePath().normalize(),
                Optional.ofNullable(opts.get("out")).map(Path::of));
    }

    private static List<String> list(String csv) {
        List<String> l = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                l.add(s.strip());
            }
        }
        return l;
    }

    private static int positive(Map<String, String> opts, String name, int fallback) {
        String v = opts.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + "=" + v + ": expected a positive whole number");
    }

    /** --help was given: print the usage and exit 0. */
    static final class UsageRequested extends RuntimeException {
        UsageRequested() {
            super(null, null, false, false);
        }
    }
}
