package org.jqga.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The measurements. Every figure comes from a real process talking over a real socket; every reply is checked
 * (a ping must return {}, a file read must return the file's bytes, /bin/true must exit 0), so a fast wrong
 * answer cannot pass for a fast right one.
 */
final class Measures {
    static final String PING = "{\"execute\":\"guest-ping\"}";
    static final int QGA_READ_MAX = 48 * 1024 * 1024; // qemu-ga's cap on guest-file-read's count
    private static final Duration REPLY = Duration.ofSeconds(60);
    private static final Duration START = Duration.ofSeconds(60);

    private final Settings settings;
    private final Path work;
    private final Consumer<String> progress;
    private int runs;

    Measures(Settings settings, Path work, Consumer<String> progress) {
        this.settings = settings;
        this.work = work;
        this.progress = progress;
    }

    private Path freshDir(String what) throws IOException {
        return Files.createDirectories(work.resolve(String.format("%03d-%s", ++runs, what.replaceAll("\\W+", "_"))));
    }

    // ---- start-up ----------------------------------------------------------------------------------------------

    /** connect → first reply through systemd-socket-activate; one discarded warm-up start, then {@code reps}. */
    Outcome activatedFirstReply(Subject s, Path supervisor) {
        List<Double> ms = new ArrayList<>();
        try {
            for (int i = 0; i <= settings.startReps(); i++) {
                double t = activatedOnce(s, supervisor, freshDir("act-" + s.label()));
                if (i > 0) {
                    ms.add(t);
                }
            }
        } catch (IOException | RuntimeException e) {
            return notAvailable(e);
        }
        return Outcome.of(ms);
    }

    double activatedOnce(Subject s, Path supervisor, Path dir) throws IOException {
        return activatedOnce(s, supervisor, dir, () -> {
        });
    }

    /** What to do the moment the first reply has arrived, before the reply is checked and the connection closed. */
    private interface AtFirstReply {
        void run() throws IOException;
    }

    private double activatedOnce(Subject s, Path supervisor, Path dir, AtFirstReply atReply) throws IOException {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess p = AgentProcess.start(dir, s.activated(supervisor, dir, socket))) {
            awaitStderr(p, "Listening on");
            long t0 = System.nanoTime();
            try (QgaConnection c = QgaConnection.connect(socket, p)) {
                c.send(PING);
                QgaConnection.Line reply = c.readLine(REPLY);
                long t1 = System.nanoTime();
                atReply.run();
                expectEmptyReturn(reply.text());
                return (t1 - t0) / 1e6;
            }
        }
    }

    /** Classes loaded before the first reply, and how many of them came from the CDS archive or AOT cache. */
    record ClassLoads(Outcome loaded, Outcome shared) {
    }

    /** Samples of the class count: few, since it barely varies from one start to the next. */
    static final int CLASS_SAMPLES = 3;

    /**
     * Started exactly as for the socket-activated first reply, plus {@code -Xlog:class+load=info:file=LOG} (after the
     * java binary, or in JQGA_JAVA_OPTS for a launcher); the log is read the moment the first reply to guest-ping
     * has arrived, while the JVM still runs, and its lines counted. It must list {@code mainClass}.
     */
    ClassLoads classesBeforeFirstReply(Subject s, Path supervisor, String mainClass) {
        List<Double> loaded = new ArrayList<>();
        List<Double> shared = new ArrayList<>();
        try {
            for (int i = 0; i < Math.min(CLASS_SAMPLES, settings.startReps()); i++) {
                Path dir = freshDir("classes-" + s.label());
                Path log = dir.resolve("class-load.log");
                ClassLoadLog.Counts[] counts = new ClassLoadLog.Counts[1];
                activatedOnce(s.withJvmOption(ClassLoadLog.option(log)), supervisor, dir,
                        () -> counts[0] = ClassLoadLog.read(log, mainClass));
                loaded.add((double) counts[0].loaded());
                shared.add((double) counts[0].shared());
            }
        } catch (IOException | RuntimeException e) {
            Outcome na = notAvailable(e);
            return new ClassLoads(na, na);
        }
        return new ClassLoads(Outcome.of(loaded), Outcome.of(shared));
    }

    private static void awaitStderr(AgentProcess p, String text) throws IOException {
        long deadline = System.nanoTime() + START.toNanos();
        while (!p.stderr().contains(text)) {
            if (!p.alive()) {
                throw new QgaConnection.AgentGoneException("the supervisor exited before listening" + p.exitNote());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no '" + text + "' from " + p.command() + " within " + START);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Start-up figures of the plain start: time to the first reply and VmRSS right after it. */
    record PlainStart(Outcome firstReplyMs, Outcome idleRssMiB) {
    }

    /** process start → bound, accepted, first reply; then VmRSS. One discarded warm-up start, then reps. */
    PlainStart plainStart(Subject s) {
        List<Double> ms = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        try {
            for (int i = 0; i <= settings.startReps(); i++) {
                Path dir = freshDir("plain-" + s.label());
                Path socket = dir.resolve("qga.sock");
                long t0 = System.nanoTime();
                try (AgentProcess p = AgentProcess.start(dir, s.plain(dir, socket));
                        QgaConnection c = connectWhenListening(socket, p)) {
                    c.send(PING);
                    QgaConnection.Line reply = c.readLine(REPLY);
                    long t1 = System.nanoTime();
                    expectEmptyReturn(reply.text());
                    OptionalLong kib = p.statusKiB("VmRSS");
                    if (i > 0) {
                        ms.add((t1 - t0) / 1e6);
                        rss.add(kib.orElseThrow(() -> new IOException("no VmRSS for pid " + p.pid())) / 1024.0);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            Outcome na = notAvailable(e);
            return new PlainStart(na, na);
        }
        return new PlainStart(Outcome.of(ms), Outcome.of(rss));
    }

    /** Connects as soon as the agent listens, polling every 0.2 ms so the poll adds little to the figure. */
    static QgaConnection connectWhenListening(Path socket, AgentProcess p) throws IOException {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                return QgaConnection.connect(socket, p);
            } catch (IOException notYet) {
                if (!p.alive()) {
                    throw new QgaConnection.AgentGoneException("the agent exited before listening" + p.exitNote());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("nothing listens on " + socket + " after " + START + ": " + notYet);
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }

    // ---- steady state ------------------------------------------------------------------------------------------

    /** The steady-state rows' keys, in the order one long-lived agent runs them. */
    static final List<String> STEADY_KEYS = List.of("ping", "reconnect", "pipelined", "file-read", "file-read-peak-rss",
            "file-read-idle-rss", "exec", "peak-rss", "idle-rss");

    /**
     * One long-lived agent runs the steady-state rows in order, then reports its peak RSS (VmHWM), which therefore
     * covers all of them, and its RSS once it has been idle (no client) for a few seconds after them. The reconnects
     * run while no other client is connected: qemu-ga serves one client at a time, and it would not accept them
     * while the harness's main connection is open. A row the agent cannot do is n/a; an agent that dies makes the
     * remaining rows n/a.
     */
    Map<String, Outcome> steady(Subject s, Path file, long fileCrc) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        Path dir;
        try {
            dir = freshDir("steady-" + s.label());
        } catch (IOException e) {
            out.put("peak-rss", notAvailable(e));
            return out;
        }
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess p = AgentProcess.start(dir, s.plain(dir, socket))) {
            try (QgaConnection c = connectWhenListening(socket, p)) {
                if (settings.rows().contains("ping")) {
                    out.put("ping", guarded(p, () -> pingRoundTrips(c)));
                }
            }
            if (settings.rows().contains("reconnect")) {
                out.put("reconnect", guarded(p, () -> new Reconnects(socket, p, REPLY).rates(
                        settings.reconnectWarmup(), settings.reconnectBatches(), settings.reconnectsPerBatch())));
            }
            try (QgaConnection c = connectWhenListening(socket, p)) {
                if (settings.rows().contains("pipelined")) {
                    out.put("pipelined", guarded(p, () -> pipelined(c)));
                }
                if (settings.rows().contains("file-read")) {
                    // The read's own peak and what stays after it, apart from the rest of the workload: the agent
                    // first has the idle wait to give back what the pipelined row left (glibc keeps a burst's freed
                    // compiler and buffer memory until the JVM's next periodic trim: 14 MiB for up to 4 s on JDK 17),
                    // then the peak is reset to the current RSS, and the idle RSS is read with the client still
                    // connected.
                    waitIdle();
                    Optional<Outcome> noPeak = resetPeak(p);
                    out.put("file-read", guarded(p, () -> fileRead(c, file, fileCrc)));
                    if (noPeak.isPresent()) {
                        out.put("file-read-peak-rss", noPeak.get());
                        out.put("file-read-idle-rss", noPeak.get());
                    } else {
                        out.put("file-read-peak-rss", peakRss(p));
                        out.put("file-read-idle-rss", idleRss(p));
                    }
                }
                if (settings.rows().contains("exec")) {
                    out.put("exec", guarded(p, () -> exec(c)));
                }
                out.put("peak-rss", peakRss(p));
            }
            out.put("idle-rss", idleRss(p));
        } catch (IOException | RuntimeException e) {
            Outcome na = notAvailable(e);
            for (String row : STEADY_KEYS) {
                out.putIfAbsent(row, na);
            }
        }
        return out;
    }

    private interface Samples {
        List<Double> take() throws IOException;
    }

    /** {@code p}'s VmHWM now, in MiB. */
    private Outcome peakRss(AgentProcess p) {
        return guarded(p, () -> List.of(p.statusKiB("VmHWM")
                .orElseThrow(() -> new IOException("no VmHWM for pid " + p.pid())) / 1024.0));
    }

    /** {@code p}'s VmRSS in MiB once it has had no request for the idle wait. */
    private Outcome idleRss(AgentProcess p) {
        return guarded(p, () -> {
            waitIdle();
            return List.of(p.statusKiB("VmRSS")
                    .orElseThrow(() -> new IOException("no VmRSS for pid " + p.pid())) / 1024.0);
        });
    }

    /** The idle wait: long enough for an agent to give back what its last requests took. */
    private void waitIdle() {
        LockSupport.parkNanos(Duration.ofSeconds(settings.idleSeconds()).toNanos());
    }

    /** Empty once {@code p}'s VmHWM is reset; else why it cannot be (not our process, kernel without it). */
    private static Optional<Outcome> resetPeak(AgentProcess p) {
        try {
            p.resetPeakRss();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(Outcome.notAvailable("cannot reset VmHWM of pid " + p.pid() + ": " + e));
        }
    }

    private Outcome guarded(AgentProcess p, Samples samples) {
        if (!p.alive()) {
            return Outcome.notAvailable("the agent died earlier in this run" + p.exitNote());
        }
        try {
            return Outcome.of(samples.take());
        } catch (IOException | RuntimeException e) {
            return notAvailable(e);
        }
    }

    /** Round trip of one guest-ping at a time, in microseconds, after a warm-up for the JIT. */
    List<Double> pingRoundTrips(QgaConnection c) throws IOException {
        byte[] ping = PING.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < settings.pingWarmup(); i++) {
            c.send(ping, REPLY);
            c.readLine(REPLY);
        }
        List<Double> us = new ArrayList<>(settings.pingSamples());
        for (int i = 0; i < settings.pingSamples(); i++) {
            long t0 = System.nanoTime();
            c.send(ping, REPLY);
            QgaConnection.Line reply = c.readLine(REPLY);
            long t1 = System.nanoTime();
            if (i == 0 || i == settings.pingSamples() - 1) {
                expectEmptyReturn(reply.text());
            }
            us.add((t1 - t0) / 1e3);
        }
        return us;
    }

    /**
     * {@code depth} pings written at once, then all replies read: pings per second. The requests (about 25 KB for
     * 1,000) fit in the socket buffer, so writing all before reading cannot deadlock.
     */
    List<Double> pipelined(QgaConnection c) throws IOException {
        int depth = settings.pipelineDepth();
        byte[] batch = PING.repeat(depth).getBytes(StandardCharsets.US_ASCII);
        // A guest-sync after the batch proves the replies were exactly one per ping, in order.
        List<Double> rate = new ArrayList<>();
        for (int i = 0; i < settings.pipelinedWarmup() + settings.pipelinedReps(); i++) {
            long t0 = System.nanoTime();
            c.send(batch, REPLY);
            c.skipLines(depth, REPLY);
            long t1 = System.nanoTime();
            JsonElement sync = c.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + (7000 + i) + "}}");
            if (sync.getAsLong() != 7000 + i) {
                throw new IOException("after " + depth + " pipelined pings, guest-sync returned " + sync);
            }
            if (i >= settings.pipelinedWarmup()) {
                rate.add(depth / ((t1 - t0) / 1e9));
            }
        }
        return rate;
    }

    /** open, read with qemu-ga's largest count until EOF, base64-decode, close: MiB/s. */
    List<Double> fileRead(QgaConnection c, Path file, long crc) throws IOException {
        long size = Files.size(file);
        List<Double> rate = new ArrayList<>();
        for (int i = 0; i <= settings.fileReadReps(); i++) {
            long t0 = System.nanoTime();
            long handle = c.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                    + "\",\"mode\":\"r\"}}").getAsLong();
            String read = "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle + ",\"count\":"
                    + QGA_READ_MAX + "}}";
            CRC32 check = new CRC32();
            long total = 0;
            while (true) {
                c.send(read);
                FileReadReply r = FileReadReply.parse(c.readLine(REPLY), read);
                total += r.count();
                check.update(r.data());
                if (r.eof() || r.count() == 0) {
                    break;
                }
            }
            c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
            long t1 = System.nanoTime();
            if (total != size || check.getValue() != crc) {
                throw new IOException("guest-file-read returned " + total + " bytes with CRC32 "
                        + Long.toHexString(check.getValue()) + "; the file has " + size + " bytes with CRC32 "
                        + Long.toHexString(crc));
            }
            if (i > 0) { // the first pass warms the page cache and the JIT
                rate.add(size / 1048576.0 / ((t1 - t0) / 1e9));
            }
        }
        return rate;
    }

    /** guest-exec of /bin/true, then guest-exec-status polled back to back until exited: milliseconds. */
    List<Double> exec(QgaConnection c) throws IOException {
        List<Double> ms = new ArrayList<>();
        int warmup = Math.max(2, settings.execReps() / 10);
        for (int i = 0; i < warmup + settings.execReps(); i++) {
            long t0 = System.nanoTime();
            long pid = c.call("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}")
                    .getAsJsonObject().get("pid").getAsLong();
            String status = "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}";
            JsonObject st;
            do {
                st = c.call(status).getAsJsonObject();
            } while (!st.get("exited").getAsBoolean());
            long t1 = System.nanoTime();
            if (!st.has("exitcode") || st.get("exitcode").getAsInt() != 0) {
                throw new IOException("/bin/true did not exit 0: " + st);
            }
            if (i >= warmup) {
                ms.add((t1 - t0) / 1e6);
            }
        }
        return ms;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static void expectEmptyReturn(String reply) throws IOException {
        JsonElement r = QgaConnection.Line.returnOf(reply, PING);
        if (!r.isJsonObject() || r.getAsJsonObject().size() != 0) {
            throw new IOException("guest-ping replied " + reply.strip());
        }
    }

    /** The reason an agent has no figure for a row, as the table prints it. */
    Outcome notAvailable(Exception e) {
        String reason;
        if (e instanceof QgaConnection.QgaErrorException q) {
            reason = q.errorClass + ": " + q.desc;
        } else if (e instanceof QgaConnection.AgentGoneException) {
            reason = e.getMessage();
        } else {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        progress.accept("  n/a: " + reason);
        return Outcome.notAvailable(reason);
    }

    /** Writes {@code mib} MiB of pseudo-random bytes (incompressible, as file contents usually are); its CRC32. */
    static long writeTestFile(Path file, int mib) throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20240611L);
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[1024 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                for (int j = 0; j < chunk.length; j += 8) {
                    long r = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        chunk[j + k] = (byte) (r >>> (8 * k));
                    }
                }
                crc.update(chunk);
                out.write(chunk);
            }
        }
        return crc.getValue();
    }
}
