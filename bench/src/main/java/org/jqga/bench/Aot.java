package org.jqga.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * AOT caches (JDK 25's one-step {@code -XX:AOTCacheOutput}) made by a training run inside the benchmark, so that the
 * cache always matches the JDK, flags and class path it is used with: a cache from another build could be stale
 * without the JVM noticing. The training run does what the measured run does (activated first request when the
 * program supports it, else a plain start) plus some pings, then exits normally so the JVM writes the cache.
 */
final class Aot {
    private static final Duration TRAINING = Duration.ofSeconds(180);

    private Aot() {
    }

    /** The flags that make a training run write {@code cache}. */
    static List<String> trainingFlag(Path cache) {
        return List.of("-XX:AOTCacheOutput=" + cache);
    }

    /** The flags that use {@code cache}; AOTMode=on makes an unusable cache an error instead of a silent slowdown. */
    static List<String> useFlags(Path cache) {
        return List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on");
    }

    /** Trains jqga: socket-activated if it can be, else a plain start; both end with SIGTERM (a clean exit). */
    static void trainAgent(Subject trainee, Path supervisor, Path dir, Path cache) throws IOException,
            InterruptedException {
        Path socket = dir.resolve("train.sock");
        AgentProcess p = supervisor == null ? null : AgentProcess.start(dir.resolve("activated"),
                trainee.activated(supervisor, dir.resolve("activated"), socket));
        boolean trained = false;
        if (p != null) {
            trained = exercise(p, socket, true, true);
            if (!trained) {
                p.close();
            }
        }
        if (!trained) {
            Path plainDir = dir.resolve("plain");
            Path plainSocket = plainDir.resolve("train.sock");
            p = AgentProcess.start(plainDir, trainee.plain(plainDir, plainSocket));
            if (!exercise(p, plainSocket, false, true)) {
                p.close();
                throw new IOException("the AOT training run of " + trainee.label() + " failed" + p.exitNote());
            }
        }
        stopAndAwaitCache(p, cache);
    }

    /** Trains the JVM floor: one activated request; it exits by itself when the connection closes. */
    static void trainFloor(Subject floor, Path supervisor, Path dir, Path cache) throws IOException,
            InterruptedException {
        Path socket = dir.resolve("train.sock");
        AgentProcess p = AgentProcess.start(dir, floor.activated(supervisor, dir, socket));
        if (!exercise(p, socket, true, false)) {
            p.close();
            throw new IOException("the AOT training run of " + floor.label() + " failed" + p.exitNote());
        }
        if (!p.awaitExit(TRAINING.toSeconds())) {
            p.close();
        }
        awaitCache(cache, p);
    }

    private static boolean exercise(AgentProcess p, Path socket, boolean activated, boolean agent) {
        try {
            if (activated) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!p.stderr().contains("Listening on") && p.alive() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
            try (QgaConnection c = activated ? QgaConnection.connect(socket, p)
                    : Measures.connectWhenListening(socket, p)) {
                c.send(Measures.PING);
                Measures.expectEmptyReturn(c.readLine(Duration.ofSeconds(60)).text());
                if (!agent) {
                    return true;
                }
                for (int i = 0; i < 200; i++) {
                    c.call(Measures.PING);
                }
                c.call("{\"execute\":\"guest-info\"}");
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static void stopAndAwaitCache(AgentProcess p, Path cache) throws IOException, InterruptedException {
        // SIGTERM: jqga stops cleanly and exits 0, and the JVM writes the cache on the way out.
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
        if (!p.awaitExit(TRAINING.toSeconds())) {
            p.close();
            throw new IOException("the AOT training run did not exit within " + TRAINING + p.exitNote());
        }
        awaitCache(cache, p);
    }

    /**
     * The JVM may hand the cache's assembly to a child JVM; the cache is complete when no process names it on its
     * command line any more.
     */
    private static void awaitCache(Path cache, AgentProcess p) throws IOException {
        long deadline = System.nanoTime() + TRAINING.toNanos();
        while (processesNaming(cache.toString()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("a process still writes " + cache + " after " + TRAINING);
            }
            LockSupport.parkNanos(50_000_000);
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            throw new IOException("the training run wrote no AOT cache " + cache + "; its output: "
                    + AgentProcess.lastLines(p.stderr(), 5));
        }
    }

    private static long processesNaming(String text) {
        List<Path> procs = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(procs::add);
        } catch (IOException e) {
            return 0;
        }
        long self = ProcessHandle.current().pid();
        return procs.stream().filter(d -> !d.getFileName().toString().equals(Long.toString(self))).filter(d -> {
            try {
                return new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8).contains(text);
            } catch (IOException e) {
                return false; // gone meanwhile
            }
        }).count();
    }
}
