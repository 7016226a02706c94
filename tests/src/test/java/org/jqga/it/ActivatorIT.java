package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
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
 * The agent under an activator written here that behaves like systemd's socket unit: it owns the listening socket
 * for its whole life and starts an agent (fd 3 + LISTEN_*) whenever a client waits and none runs. This is what lets
 * connections wait in the backlog while no agent exists, and what makes idle exit safe.
 */
class ActivatorIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REPLY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static JsonObject sync(QgaClient client, int id) throws Exception {
        return client.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + id + "}}");
    }

    @Test
    void connectionsQueuedWhileNoAgentRunsAreServedOnceItStarts() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path output = dir.resolve("agent.out");
        try (NativeActivator activator = NativeActivator.listen(socket)) {
            List<QgaClient> waiting = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    QgaClient c = QgaClient.connect(socket); // completes: the kernel queues it in the backlog
                    c.send("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + (100 + i) + "}}");
                    waiting.add(c);
                }
                assertTrue(activator.clientWaiting(Duration.ZERO), "the clients wait in the backlog");
                int pid = activator.spawn(AgentProcess.agentCommand(AgentProcess.classPath(), "-v"), Map.of(), "qga",
                        output);
                try {
                    for (int i = 0; i < 3; i++) {
                        assertEquals(100 + i, waiting.get(i).read(REPLY).get("return").getAsInt(),
                                Files.readString(output));
                    }
                } finally {
                    NativeActivator.terminate(pid);
                    assertEquals(0, NativeActivator.awaitExit(pid, START), Files.readString(output));
                }
            } finally {
                for (QgaClient c : waiting) {
                    c.close();
                }
            }
            assertTrue(Files.readString(output).contains("activated by systemd; serving qga"),
                    Files.readString(output));
        }
    }

    /**
     * Clients keep coming while the agent exits idle and is started again. Half of them arrive right after an
     * agent started (while it is serving or deciding to exit), half only after it has exited, so they find no agent
     * and wait for the next one. Every single request must be answered.
     */
    @Test
    void idleExitAndReactivationLoseNoRequest() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path output = dir.resolve("agent.out");
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicInteger activations = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> activatorFailure = new CopyOnWriteArrayList<>();
        try (NativeActivator activator = NativeActivator.listen(socket);
             NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"))) {
            Thread loop = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (!activator.clientWaiting(Duration.ofMillis(100))) {
                            continue;
                        }
                        int pid = activator.spawn(AgentProcess.agentCommand(AgentProcess.classPath(), "-v",
                                "--idle-exit=1"), Map.of("NOTIFY_SOCKET", notify.notifySocket()), "qga", output);
                        activations.incrementAndGet();
                        statuses.add(NativeActivator.awaitExit(pid, Duration.ofMinutes(2)));
                    }
                } catch (IOException | InterruptedException | AssertionError e) {
                    activatorFailure.add(e);
                }
            }, "test-activator");
            loop.start();
            try {
                int id = 0;
                for (int round = 0; round < 3; round++) {
                    int exitsBefore = statuses.size();
                    for (int i = 0; i < 4; i++, id++) {
                        try (QgaClient client = QgaClient.connect(socket)) {
                            assertEquals(id, sync(client, id).get("return").getAsInt(), Files.readString(output));
                        }
                    }
                    // Wait for the idle exit (STOPPING=1 then exit 0): the next round's first client finds no agent.
                    long deadline = System.nanoTime() + START.toNanos();
                    while (statuses.size() == exitsBefore && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(exitsBefore + 1, statuses.size(), "the agent exits when idle\n"
                            + Files.readString(output));
                }
            } finally {
                stop.set(true);
                loop.join(Duration.ofMinutes(2).toMillis());
            }
            assertEquals(List.of(), activatorFailure);
            assertEquals(3, activations.get(), Files.readString(output));
            assertEquals(List.of(0, 0, 0), statuses, Files.readString(output));
            for (int i = 0; i < 3; i++) {
                notify.awaitExactly("READY=1", REPLY);
                notify.awaitExactly("STOPPING=1", REPLY);
            }
            assertTrue(Files.readString(output).contains("idle for 1 s (no session, no background work): exiting"),
                    Files.readString(output));
            assertTrue(Files.exists(socket), "the agent never unlinks the activator's socket");
        }
    }
}
