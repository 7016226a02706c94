package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.NativeActivator;
import org.jqga.it.support.NotifyReceiver;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing leaks: after 10,000 sessions and 1,000 guest-exec runs the agent's descriptor count
 * ({@code /proc/PID/fd}) and thread count ({@code /proc/PID/task}) are back at their baseline; a child started by
 * guest-exec sees only fds 0-2 and none of LISTEN_* / NOTIFY_SOCKET although the agent was socket-activated with
 * them. The agent runs with a fixed number of JIT compiler threads, so that only the agent's own threads count.
 */
class LeakIT {
    private static final int SESSIONS = Integer.getInteger("jqga.leak.sessions", 10_000);
    private static final int EXECS = Integer.getInteger("jqga.leak.execs", 1_000);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    /** The agent's thread names (from /proc), for a failure message that says which threads stayed. */
    private static String threadNames(Path proc) throws IOException {
        try (Stream<Path> s = Files.list(proc.resolve("task"))) {
            return s.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).trim();
                } catch (IOException e) {
                    return "?";
                }
            }).sorted().collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /** One short session: connect, guest-ping, read the answer, close. */
    private static void ping(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("{\"execute\":\"guest-ping\"}".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(256);
            while (buf.position() == 0 || buf.get(buf.position() - 1) != '\n') {
                if (ch.read(buf) < 0) {
                    throw new IOException("the agent closed the session before answering");
                }
            }
            String answer = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            if (!answer.equals("{\"return\": {}}\n")) {
                throw new IOException("unexpected answer " + answer);
            }
        }
    }

    private static JsonObject runToCompletion(QgaClient c, String execArguments) throws Exception {
        JsonObject started = c.call("{\"execute\":\"guest-exec\",\"arguments\":" + execArguments + "}");
        long pid = started.getAsJsonObject("return").get("pid").getAsLong();
        while (true) {
            JsonObject s = c.call("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")
                    .getAsJsonObject("return");
            if (s.get("exited").getAsBoolean()) {
                return s;
            }
            Thread.sleep(1);
        }
    }

    /**
     * The counts once they have not changed for 3 s (idle exec threads end after 2 s), or at the deadline: the
     * baseline, taken without waiting out the whole timeout.
     */
    private static long[] steady(Path proc) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long[] last = {count(proc.resolve("fd")), count(proc.resolve("task"))};
        long since = System.nanoTime();
        while (System.nanoTime() - since < Duration.ofSeconds(3).toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long[] now = {count(proc.resolve("fd")), count(proc.resolve("task"))};
            if (now[0] != last[0] || now[1] != last[1]) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    private static long[] settle(Path proc, long fds, long threads) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long f;
        long t;
        do {
            Thread.sleep(100);
            f = count(proc.resolve("fd"));
            t = count(proc.resolve("task"));
        } while ((f > fds || t > threads) && System.nanoTime() < deadline);
        return new long[] {f, t};
    }

    @Test
    void sessionsAndExecRunsLeaveNoDescriptorsOrThreadsBehind() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path output = dir.resolve("agent.out");
        try (NativeActivator activator = NativeActivator.listen(socket);
             NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"))) {
            List<String> cmd = new ArrayList<>(AgentProcess.agentCommand(AgentProcess.classPath()));
            cmd.add(1, "-XX:-UseDynamicNumberOfCompilerThreads");
            int pid = activator.spawn(cmd, Map.of("NOTIFY_SOCKET", notify.notifySocket()), "qga", output);
            try {
                notify.awaitExactly("READY=1", WAIT);
                Path proc = Path.of("/proc", Integer.toString(pid));
                // Warm up every path once (class loading, lazily created helpers), then take the baseline.
                for (int i = 0; i < 50; i++) {
                    ping(socket);
                }
                try (QgaClient c = QgaClient.connect(socket)) {
                    runToCompletion(c, "{\"path\":\"/bin/true\",\"capture-output\":true}");
                }
                long[] baseline = steady(proc);
                String baselineThreads = threadNames(proc);

                // Four clients at once, as fast as the agent answers (the machine has few cores).
                List<Thread> clients = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int share = t;
                    Thread th = new Thread(() -> {
                        try {
                            for (int i = share; i < SESSIONS; i += 4) {
                                ping(socket);
                            }
                        } catch (IOException e) {
                            failures.add(e);
                        }
                    });
                    th.start();
                    clients.add(th);
                }
                for (int t = 0; t < 4; t++) {
                    int share = t;
                    Thread th = new Thread(() -> {
                        try (QgaClient c = QgaClient.connect(socket)) {
                            for (int i = share; i < EXECS; i += 4) {
                                JsonObject s = runToCompletion(c, "{\"path\":\"/bin/echo\",\"arg\":[\"" + i
                                        + "\"],\"capture-output\":true}");
                                assertEquals(i + "\n", new String(Base64.getDecoder().decode(
                                        s.get("out-data").getAsString()), StandardCharsets.UTF_8));
                            }
                        } catch (Exception | AssertionError e) {
                            failures.add(e);
                        }
                    });
                    th.start();
                    clients.add(th);
                }
                for (Thread th : clients) {
                    th.join();
                }
                assertEquals(List.of(), failures);
                try (QgaClient c = QgaClient.connect(socket)) {
                    // What a child sees: its own descriptors and environment.
                    JsonObject s = runToCompletion(c, "{\"path\":\"/bin/sh\",\"arg\":[\"-c\","
                            + "\"ls /proc/self/fd; env\"],\"capture-output\":true}");
                    String seen = new String(Base64.getDecoder().decode(s.get("out-data").getAsString()),
                            StandardCharsets.UTF_8);
                    List<String> lines = seen.lines().toList();
                    // 0, 1, 2 and the directory ls itself has open to list /proc/self/fd.
                    assertEquals(List.of("0", "1", "2", "3"), lines.stream().filter(l -> l.matches("[0-9]+"))
                            .toList(), seen);
                    assertFalse(lines.stream().anyMatch(l -> l.startsWith("LISTEN_")
                            || l.startsWith("NOTIFY_SOCKET=")), seen);
                }
                long[] after = settle(proc, baseline[0], baseline[1]);
                assertTrue(after[0] <= baseline[0], "fds: baseline " + baseline[0] + ", after " + after[0]);
                String afterThreads = threadNames(proc);
                assertTrue(after[1] <= baseline[1], "threads: baseline " + baseline[1] + " (" + baselineThreads
                        + "), after " + after[1] + " (" + afterThreads + ")");
                System.out.println("LeakIT: " + SESSIONS + " sessions, " + EXECS + " guest-exec runs; fds "
                        + baseline[0] + " -> " + after[0] + ", threads " + baseline[1] + " -> " + after[1]);
            } finally {
                NativeActivator.terminate(pid);
                assertEquals(0, NativeActivator.awaitExit(pid, WAIT), Files.readString(output));
            }
        }
    }
}
