package org.jqga.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * jqga against the C qemu-ga, on this machine, in the same run. Prints the table to stdout (progress to stderr)
 * and writes every sample as JSON for comparison over time. See bench/README.md for the rows and how to read them.
 */
public final class Bench {
    private final Settings settings;
    private final Path work;
    private final Measures measures;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Bench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
        this.measures = new Measures(settings, work, Bench::progress);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (Settings.UsageRequested e) {
            System.out.print(Settings.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(64); // EX_USAGE
            return;
        }
        Path work = Files.createTempDirectory("jqga-bench-");
        try {
            System.exit(new Bench(settings, work).run());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(64);
        }
    }

    static void progress(String line) {
        System.err.println(line);
        System.err.flush();
    }

    private int run() throws IOException, InterruptedException {
        Path repo = settings.repo();
        Path agentJar = repo.resolve("agent/target/jqga-agent.jar");
        if (settings.classPath().isEmpty() && !Files.isRegularFile(agentJar)) {
            System.err.println("bench: " + agentJar + " is missing: build it first (bench/run does:"
                    + " mvn -B -q -DskipTests package -pl bench,agent -am)");
            return 66; // EX_NOINPUT
        }
        String classPath = settings.classPath().orElse(agentJar + ":" + repo.resolve("agent/target/lib") + "/*");
        String floorClassPath = ownClassPath();
        Jdk java = settings.java().map(Jdk::of).orElseGet(Jdk::current);
        Optional<Jdk> aotJdk = settings.aotJava().map(Jdk::of).or(() -> Jdk.newestInstalled(25));
        if (settings.aotJava().isPresent() && aotJdk.get().feature() < 25) {
            throw new IllegalArgumentException("--aot-java=" + settings.aotJava().get() + " is JDK "
                    + aotJdk.get().version() + "; the AOT variants need JDK 25 or later (-XX:AOTCacheOutput)");
        }
        Optional<Path> qemuGa = settings.skipQemuGa() ? Optional.empty()
                : settings.qemuGa().or(() -> Tools.find("qemu-ga"));
        Optional<Path> supervisor = Tools.find("systemd-socket-activate");

        environment.put("date", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        environment.put("host", Tools.hostSummary());
        environment.put("java", java.java() + " (" + java.version() + ")");
        environment.put("aot java", aotJdk.map(j -> j.java() + " (" + j.version() + ")").orElse("none (no JDK >= 25)"));
        environment.put("qemu-ga", qemuGa.map(q -> q + " (" + Tools.firstLine(q.toString(), "--version") + ")")
                .orElse("not found"));
        environment.put("jqga", Tools.firstLine("git", "-C", repo.toString(), "describe", "--always", "--dirty")
                + " class path " + classPath);
        environment.put("systemd-socket-activate", supervisor.map(Path::toString).orElse("not found"));
        environment.put("mode", settings.quick() ? "quick" : "full");
        environment.put("load at start", Tools.loadAverage());
        environment.forEach((k, v) -> progress(k + ": " + v));

        List<Variant> variants = variants(java, aotJdk, classPath, floorClassPath, supervisor);
        String noQemuGa = settings.skipQemuGa() ? "skipped (--qemu-ga=none)"
                : "qemu-ga not found (Debian package qemu-guest-agent)";
        String noSupervisor = "systemd-socket-activate not found (Debian package systemd)";
        Optional<Subject> qemu = qemuGa.map(q -> Subject.agent("qemu-ga", List.of(q.toString())));

        List<Row> rows = new ArrayList<>();
        boolean activated = settings.rows().contains("activated");
        boolean floor = settings.rows().contains("floor");
        boolean plain = settings.rows().contains("plain");
        boolean classes = settings.rows().contains("classes");
        Outcome notJvm = Outcome.notAvailable("qemu-ga is not a JVM");
        Outcome qemuActivated = Outcome.notAvailable("not run");
        Measures.PlainStart qemuPlain = null;
        if (activated || floor) {
            progress("qemu-ga: socket-activated first reply");
            qemuActivated = qemu.isEmpty() ? Outcome.notAvailable(noQemuGa)
                    : supervisor.isEmpty() ? Outcome.notAvailable(noSupervisor)
                    : measures.activatedFirstReply(qemu.get(), supervisor.get());
        }
        if (plain) {
            progress("qemu-ga: plain start to first reply");
            Outcome na = Outcome.notAvailable(noQemuGa);
            qemuPlain = qemu.isEmpty() ? new Measures.PlainStart(na, na) : measures.plainStart(qemu.get());
        }
        List<Row> activatedRows = new ArrayList<>();
        List<Row> floorRows = new ArrayList<>();
        List<Row> classRows = new ArrayList<>();
        List<Row> floorClassRows = new ArrayList<>();
        List<Row> plainRows = new ArrayList<>();
        List<Row> rssRows = new ArrayList<>();
        for (Variant v : variants) {
            Optional<Outcome> floorOutcome = Optional.empty();
            if ((activated || floor) && v.floor().isPresent()) {
                progress("JVM floor [" + v.name() + "]: socket-activated first reply");
                floorOutcome = Optional.of(v.unavailable().map(Outcome::notAvailable)
                        .orElseGet(() -> supervisor.isEmpty() ? Outcome.notAvailable(noSupervisor)
                                : measures.activatedFirstReply(v.floor().get(), supervisor.get())));
                if (floor) {
                    floorRows.add(new Row("JVM floor: socket-activated first reply", v.name(),
                            Row.Unit.MILLISECONDS, floorOutcome.get(), qemuActivated));
                }
            }
            if (activated) {
                progress("jqga [" + v.name() + "]: socket-activated first reply");
                Outcome o = v.unavailable().map(Outcome::notAvailable)
                        .orElseGet(() -> supervisor.isEmpty() ? Outcome.notAvailable(noSupervisor)
                                : measures.activatedFirstReply(v.jqga(), supervisor.get()));
                activatedRows.add(new Row("socket-activated first reply", v.name(), Row.Unit.MILLISECONDS, o,
                        qemuActivated, floorOutcome));
            }
            if (classes) {
                Optional<Measures.ClassLoads> floorLoads = Optional.empty();
                if (v.floor().isPresent()) {
                    progress("JVM floor [" + v.name() + "]: classes loaded before the first reply");
                    Measures.ClassLoads f = classLoads(v, v.floor().get(), Variant.FLOOR_MAIN, supervisor,
                            noSupervisor);
                    floorLoads = Optional.of(f);
                    floorClassRows.add(new Row("JVM floor: " + CLASSES, v.name(), Row.Unit.CLASSES, f.loaded(),
                            notJvm));
                    floorClassRows.add(new Row("JVM floor: " + CLASSES_SHARED, v.name(), Row.Unit.CLASSES_PART,
                            f.shared(), notJvm));
                }
                progress("jqga [" + v.name() + "]: classes loaded before the first reply");
                Measures.ClassLoads j = classLoads(v, v.jqga(), Variant.AGENT_MAIN, supervisor, noSupervisor);
                classRows.add(new Row(CLASSES, v.name(), Row.Unit.CLASSES, j.loaded(), notJvm,
                        floorLoads.map(Measures.ClassLoads::loaded)));
                classRows.add(new Row(CLASSES_SHARED, v.name(), Row.Unit.CLASSES_PART, j.shared(), notJvm,
                        floorLoads.map(Measures.ClassLoads::shared)));
            }
            if (plain) {
                progress("jqga [" + v.name() + "]: plain start to first reply");
                Measures.PlainStart p = v.unavailable().map(Outcome::notAvailable)
                        .map(na -> new Measures.PlainStart(na, na))
                        .orElseGet(() -> measures.plainStart(v.jqga()));
                plainRows.add(new Row("plain start to first reply", v.name(), Row.Unit.MILLISECONDS,
                        p.firstReplyMs(), qemuPlain.firstReplyMs()));
                rssRows.add(new Row("idle RSS after start + 1 ping", v.name(), Row.Unit.MIB, p.idleRssMiB(),
                        qemuPlain.idleRssMiB()));
            }
        }
        rows.addAll(activatedRows);
        rows.addAll(floorRows);
        rows.addAll(classRows);
        rows.addAll(floorClassRows);
        rows.addAll(plainRows);
        rows.addAll(rssRows);
        rows.addAll(steadyRows(variants, qemu, noQemuGa));

        environment.put("load at end", Tools.loadAverage());
        String table = Table.format(rows);
        System.out.println();
        environment.forEach((k, v) -> System.out.println(k + ": " + v));
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("variants:");
        for (Variant v : variants) {
            System.out.println("  " + v.name() + ": " + v.description() + "\n    jqga:  " + v.jqga().command()
                    .stream().collect(Collectors.joining(" "))
                    + v.floor().map(f -> "\n    floor: " + String.join(" ", f.command())).orElse(""));
        }
        Path out = settings.out().orElse(repo.resolve("bench/target/bench-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + ".json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Report.json(environment, settings, variants, rows), StandardCharsets.UTF_8);
        System.out.println("\nresults: " + out);
        Tools.deleteTree(work);
        return 0;
    }

    static final String CLASSES = "classes loaded before the first reply";
    static final String CLASSES_SHARED = CLASSES + ", from the CDS/AOT cache";

    private Measures.ClassLoads classLoads(Variant v, Subject s, String mainClass, Optional<Path> supervisor,
            String noSupervisor) {
        Optional<String> na = v.unavailable().or(() -> supervisor.isEmpty() ? Optional.of(noSupervisor)
                : Optional.empty());
        if (na.isPresent()) {
            Outcome o = Outcome.notAvailable(na.get());
            return new Measures.ClassLoads(o, o);
        }
        return measures.classesBeforeFirstReply(s, supervisor.get(), mainClass);
    }

    private List<Row> steadyRows(List<Variant> variants, Optional<Subject> qemu, String noQemuGa) throws IOException {
        List<String> steadyRowNames = List.of("ping", "reconnect", "pipelined", "file-read", "exec");
        if (steadyRowNames.stream().noneMatch(settings.rows()::contains)) {
            return List.of();
        }
        Path file = work.resolve("file-read-" + settings.fileMiB() + "MiB.bin");
        long crc = 0;
        if (settings.rows().contains("file-read")) {
            progress("writing the " + settings.fileMiB() + " MiB file for guest-file-read");
            crc = Measures.writeTestFile(file, settings.fileMiB());
        }
        progress("qemu-ga: steady-state rows");
        Map<String, Outcome> q = qemu.isPresent() ? measures.steady(qemu.get(), file, crc) : Map.of();
        Map<String, Map<String, Outcome>> byVariant = new LinkedHashMap<>();
        for (String name : settings.steady()) {
            Optional<Variant> v = variants.stream().filter(x -> x.name().equals(name)).findFirst();
            if (v.isEmpty()) {
                progress("steady variant '" + name + "' is not among the variants run; skipped");
                continue;
            }
            progress("jqga [" + name + "]: steady-state rows");
            byVariant.put(name, v.get().unavailable().isPresent() ? Map.of()
                    : measures.steady(v.get().jqga(), file, crc));
        }
        Outcome qemuNa = Outcome.notAvailable(noQemuGa);
        List<Row> rows = new ArrayList<>();
        record Spec(String key, String measure, Row.Unit unit) {
        }
        List<Spec> specs = List.of(
                new Spec("ping", "sequential guest-ping round trip", Row.Unit.MICROSECONDS),
                new Spec("reconnect", "reconnect: connect + guest-sync-delimited + close", Row.Unit.PER_SECOND),
                new Spec("pipelined", "pipelined guest-ping, " + settings.pipelineDepth() + " in flight",
                        Row.Unit.PER_SECOND),
                new Spec("file-read", "guest-file-read " + settings.fileMiB() + " MiB", Row.Unit.MIB_PER_SECOND),
                new Spec("file-read-peak-rss", "peak RSS during the guest-file-read row (VmHWM)", Row.Unit.MIB),
                new Spec("file-read-idle-rss", "RSS once idle after the guest-file-read row", Row.Unit.MIB),
                new Spec("exec", "guest-exec /bin/true to exited status", Row.Unit.MILLISECONDS),
                new Spec("peak-rss", "peak RSS after the workload (VmHWM)", Row.Unit.MIB),
                new Spec("idle-rss", "RSS once idle after the workload", Row.Unit.MIB));
        for (Spec spec : specs) {
            boolean rss = spec.key().endsWith("-rss");
            boolean ofFileRead = spec.key().startsWith("file-read-");
            if ((!rss || ofFileRead) && !settings.rows().contains(ofFileRead ? "file-read" : spec.key())) {
                continue;
            }
            byVariant.forEach((name, results) -> {
                Variant v = variants.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                Outcome j = v.unavailable().map(Outcome::notAvailable)
                        .orElseGet(() -> results.getOrDefault(spec.key(), Outcome.notAvailable("not run")));
                Row row = new Row(spec.measure(), name, spec.unit(), j,
                        qemu.isEmpty() ? qemuNa : q.getOrDefault(spec.key(), Outcome.notAvailable("not run")));
                if (rss) {
                    List<String> skipped = (ofFileRead ? List.of("file-read") : steadyRowNames).stream()
                            .filter(k -> measuredOnlyByOne(k, results, q))
                            .toList();
                    if (!skipped.isEmpty()) {
                        row = row.withNote("not like for like: only one agent ran " + String.join(", ", skipped));
                    }
                }
                rows.add(row);
            });
        }
        return rows;
    }

    private static boolean measuredOnlyByOne(String key, Map<String, Outcome> a, Map<String, Outcome> b) {
        return (a.get(key) instanceof Outcome.Measured) != (b.get(key) instanceof Outcome.Measured);
    }

    /** The built-in variants this machine can run, or those named by --variants, then the --variant commands. */
    private List<Variant> variants(Jdk java, Optional<Jdk> aotJdk, String classPath, String floorClassPath,
            Optional<Path> supervisor) throws IOException, InterruptedException {
        Map<String, Variant> builtIn = new LinkedHashMap<>();
        builtIn.put("default", Variant.jvm("default", "JDK " + java.version() + ", no flags", java, List.of(),
                List.of(), classPath, floorClassPath));
        builtIn.put("tuned", Variant.jvm("tuned", "JDK " + java.version() + ", tuned flags", java, Variant.TUNED,
                Variant.TUNED, classPath, floorClassPath));
        if (aotJdk.isPresent()) {
            Jdk aot = aotJdk.get();
            String tunedAotName = "tuned-jdk" + aot.feature();
            // The same flags on the AOT JDK without the cache: separates the cache's gain from the JDK's.
            builtIn.put(tunedAotName, Variant.jvm(tunedAotName, "JDK " + aot.version() + ", tuned flags", aot,
                    Variant.TUNED, Variant.TUNED, classPath, floorClassPath));
            String aotName = "aot-jdk" + aot.feature();
            builtIn.put(aotName, null); // made below, only when selected: it costs two training runs
        }
        List<String> names = settings.variants().orElse(new ArrayList<>(builtIn.keySet()));
        List<Variant> selected = new ArrayList<>();
        for (String name : names) {
            if (!builtIn.containsKey(name)) {
                throw new IllegalArgumentException("--variants: no built-in variant '" + name + "' on this machine;"
                        + " available: " + String.join(",", builtIn.keySet()));
            }
            Variant v = builtIn.get(name);
            selected.add(v != null ? v : trainedAot(name, aotJdk.orElseThrow(), classPath, floorClassPath,
                    supervisor));
        }
        settings.customVariants().forEach((name, command) -> {
            if (builtIn.containsKey(name)) {
                throw new IllegalArgumentException("--variant " + name + "=...: '" + name
                        + "' is a built-in variant's name; choose another");
            }
            selected.add(Variant.custom(name, command));
        });
        return selected;
    }

    /** tuned flags + an AOT cache made now, by a training run with the same JDK, flags and class path. */
    private Variant trainedAot(String name, Jdk jdk, String classPath, String floorClassPath,
            Optional<Path> supervisor) throws InterruptedException {
        Path dir = work.resolve("aot-" + name);
        Path agentCache = dir.resolve("jqga.aot");
        Path floorCache = dir.resolve("floor.aot");
        List<String> agentFlags = new ArrayList<>(Variant.TUNED);
        agentFlags.addAll(Aot.useFlags(agentCache));
        List<String> floorFlags = new ArrayList<>(Variant.TUNED);
        floorFlags.addAll(Aot.useFlags(floorCache));
        Variant v = Variant.jvm(name, "JDK " + jdk.version() + ", tuned flags, AOT cache from a training run",
                jdk, agentFlags, floorFlags, classPath, floorClassPath);
        List<String> trainAgentFlags = new ArrayList<>(Variant.TUNED);
        trainAgentFlags.addAll(Aot.trainingFlag(agentCache));
        List<String> trainFloorFlags = new ArrayList<>(Variant.TUNED);
        trainFloorFlags.addAll(Aot.trainingFlag(floorCache));
        Variant trainer = Variant.jvm(name + "-training", "", jdk, trainAgentFlags, trainFloorFlags, classPath,
                floorClassPath);
        try {
            Files.createDirectories(dir);
            progress("AOT training run of jqga [" + name + "]");
            Aot.trainAgent(trainer.jqga(), supervisor.orElse(null), dir.resolve("train-jqga"), agentCache);
        } catch (IOException e) {
            progress("  n/a: " + e.getMessage());
            return v.unavailable("AOT training failed: " + e.getMessage());
        }
        if (supervisor.isPresent()) {
            try {
                progress("AOT training run of the JVM floor [" + name + "]");
                Aot.trainFloor(trainer.floor().orElseThrow(), supervisor.get(), dir.resolve("train-floor"),
                        floorCache);
            } catch (IOException e) {
                progress("  floor n/a: " + e.getMessage());
                return new Variant(v.name(), v.description(), v.jqga(), Optional.empty(), Optional.empty());
            }
        }
        return v;
    }

    private static String ownClassPath() {
        try {
            return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bench classes", e);
        }
    }
}
