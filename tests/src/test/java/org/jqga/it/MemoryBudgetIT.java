package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Base64;
import java.util.List;
import java.util.Random;
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

    /**
     * One request just below the 64 MiB limit on an idle agent whose budget (half of {@code -Xmx256m}) is far below
     * 4 x 63 MiB: with nothing else in flight it is served, as qemu-ga serves it, and writes the exact bytes.
     */
    @Test
    void aLoneRequestJustBelowTheLimitIsServedWithASmallHeap() throws Exception {
        Path socket = dir.resolve("qga.sock");
        List<String> cmd = new ArrayList<>(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen",
                "-p", socket.toString(), "-t", dir.toString()));
        cmd.add(1, "-Xmx256m");
        cmd.add(2, "-XX:+ExitOnOutOfMemoryError");
        int count = 47 << 20; // 62.7 MiB of base64: with the envelope, just below 64 MiB
        byte[] data = new byte[count];
        new Random(63).nextBytes(data);
        byte[] b64 = Base64.getEncoder().encode(data);
        try (AgentProcess agent = AgentProcess.start(dir, cmd)) {
            agent.awaitListening(socket, WAIT);
            Path file = dir.resolve("written.bin");
            try (QgaClient c = QgaClient.connect(socket)) {
                long handle = c.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                        + "\",\"mode\":\"w\"}}").get("return").getAsLong();
                byte[] head = ("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + handle
                        + ",\"buf-b64\":\"").getBytes(StandardCharsets.US_ASCII);
                byte[] tail = "\"}}".getBytes(StandardCharsets.US_ASCII);
                assertTrue(head.length + b64.length + tail.length < 64 << 20, "the request is below the limit");
                assertTrue(head.length + b64.length + tail.length > 62 << 20, "and above half a 256 MiB heap / 4");
                c.sendBytes(head);
                c.sendBytes(b64);
                c.sendBytes(tail);
                JsonObject reply = c.read(WAIT);
                assertTrue(reply.has("return"), () -> "refused: " + reply + agent.describe());
                assertEquals(count, reply.getAsJsonObject("return").get("count").getAsLong());
                c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
                assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"), agent.describe());
            }
            assertArrayEquals(data, Files.readAllBytes(file), "the file holds exactly the bytes sent");
            assertTrue(agent.process().isAlive(), agent.describe());
            assertFalse(agent.stderr().contains("OutOfMemoryError"), agent.describe());
            assertEquals(0, agent.terminate(WAIT), agent.describe());
        }
    }
}
