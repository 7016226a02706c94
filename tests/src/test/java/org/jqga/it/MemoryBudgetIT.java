package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qemu-ga's default limits against the launcher's heap: 64 MiB per request and 16 sessions would be a GiB of
 * requests at once. Several large requests sent together must each get an answer (served, or refused by the shared
 * message budget) and the agent must not run out of memory ({@code -XX:+ExitOnOutOfMemoryError} would end it).
 */
class MemoryBudgetIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int CLIENTS = 6;
    private static final int ID_BYTES = 40 << 20;

    @TempDir
    Path dir;

    @Test
    void concurrentLargeRequestsAreAnsweredWithoutRunningOutOfHeap() throws Exception {
        Path socket = dir.resolve("qga.sock");
        List<String> cmd = new ArrayList<>(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen",
                "-p", socket.toString(), "-t", dir.toString()));
        cmd.add(1, "-Xmx512m");
        cmd.add(2, "-XX:+ExitOnOutOfMemoryError");
        Files.createDirectories(dir);
        try (AgentProcess agent = AgentProcess.start(dir, cmd)) {
            agent.awaitListening(socket, WAIT);
            // guest-file-write of 30 MiB (40 MiB of base64 'A's: zero bytes), one file per client.
            byte[] payload = new byte[ID_BYTES];
            Arrays.fill(payload, (byte) 'A');
            byte[] tail = "\"}}".getBytes(StandardCharsets.US_ASCII);
            List<String> outcomes = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Thread t = new Thread(() -> {
                    try (QgaClient c = QgaClient.connect(socket)) {
                        Path file = Files.createTempFile(dir, "write-", ".bin");
                        long handle = c.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                                + "\",\"mode\":\"w\"}}").get("return").getAsLong();
                        c.sendBytes(("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + handle
                                + ",\"buf-b64\":\"").getBytes(StandardCharsets.US_ASCII));
                        c.sendBytes(payload);
                        c.sendBytes(tail);
                        JsonObject reply = c.read(WAIT);
                        outcomes.add(reply.has("return")
                                ? "served " + reply.getAsJsonObject("return").get("count").getAsLong()
                                : reply.getAsJsonObject("error").get("desc").getAsString());
                        c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(WAIT.toMillis());
            }
            assertTrue(failures.isEmpty(), failures + agent.describe());
            assertEquals(CLIENTS, outcomes.size(), outcomes + agent.describe());
            String served = "served " + ID_BYTES / 4 * 3;
            assertTrue(outcomes.contains(served), outcomes::toString);
            for (String o : outcomes) {
                assertTrue(o.equals(served) || o.startsWith("request too large for the agent's memory"),
                        o);
            }
            try (QgaClient c = QgaClient.connect(socket)) {
                assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"), agent.describe());
            }
            assertTrue(agent.process().isAlive(), agent.describe());
            assertFalse(agent.stderr().contains("OutOfMemoryError"), agent.describe());
            assertEquals(0, agent.terminate(WAIT), agent.describe());
        }
    }
}
