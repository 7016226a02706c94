package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.NativeActivator;
import org.jqga.it.support.NotifyReceiver;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No request is lost across restarts: an activator that owns the listening socket (as systemd's socket unit does)
 * stops the agent with SIGTERM and starts it again, {@code jqga.restarts} times (100 here; the documented long run
 * uses {@code -Djqga.restarts=1000}), while clients connect continuously. Each client connects, sends one request
 * and must get its answer: a connection the stopping agent accepted is answered before it exits, and one it did
 * not accept waits in the backlog for the next agent. Every restart must end with exit status 0.
 */
class RestartIT {
    private static final int RESTARTS = Integer.getInteger("jqga.restarts", 100);
    private static final int CLIENTS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void everyRequestIsAnsweredWhileTheAgentIsRestartedAgainAndAgain() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path output = dir.resolve("agent.out");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        try (NativeActivator activator = NativeActivator.listen(socket);
             NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"))) {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        long id = client * 1_000_000_000L + i;
                        try (QgaClient q = QgaClient.connect(socket)) {
                            q.send("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + id + "}}");
                            JsonObject r = q.read(WAIT);
                            if (!r.has("return") || r.get("return").getAsLong() != id) {
                                failures.add("request " + id + " got " + r);
                            } else {
                                answered.incrementAndGet();
                            }
                        } catch (Exception | AssertionError e) {
                            failures.add("request " + id + ": " + e);
                        }
                    }
                }, "client " + c);
                t.start();
                clients.add(t);
            }
            try {
                for (int restart = 0; restart < RESTARTS && failures.isEmpty(); restart++) {
                    int before = answered.get();
                    int pid = activator.spawn(AgentProcess.agentCommand(AgentProcess.classPath()),
                            Map.of("NOTIFY_SOCKET", notify.notifySocket()), "qga", output);
                    notify.awaitExactly("READY=1", WAIT);
                    // Let this agent answer something before it is stopped (the clients never pause).
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (answered.get() == before && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    NativeActivator.terminate(pid);
                    statuses.add(NativeActivator.awaitExit(pid, WAIT));
                }
            } finally {
                stop.set(true);
                // The last requests find no agent: start one more to answer them, as the socket unit would.
                int pid = activator.spawn(AgentProcess.agentCommand(AgentProcess.classPath()),
                        Map.of("NOTIFY_SOCKET", notify.notifySocket()), "qga", output);
                for (Thread t : clients) {
                    t.join(WAIT.toMillis());
                }
                NativeActivator.terminate(pid);
                NativeActivator.awaitExit(pid, WAIT);
            }
            assertEquals(List.of(), failures, Files.readString(output));
            assertEquals(RESTARTS, statuses.size(), Files.readString(output));
            assertTrue(statuses.stream().allMatch(s -> s == 0), "exit statuses " + statuses);
            assertTrue(answered.get() >= RESTARTS, "answered " + answered.get());
        }
    }
}
