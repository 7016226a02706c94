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
import java.util.Base64;
import java.util.List;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each limit flooded against one agent running with a small heap ({@code -Xmx64m}) and
 * {@code -XX:+ExitOnOutOfMemoryError}: every hit is an error response, and afterwards the agent still answers
 * guest-ping (an OutOfMemoryError would have ended the process, which each test checks).
 */
class LimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MAX_MESSAGE = 64 * 1024;

    @TempDir
    static Path dir;
    private static Path socket;
    private static AgentProcess agent;

    @BeforeAll
    static void start() throws Exception {
        socket = dir.resolve("qga.sock");
        List<String> cmd = new ArrayList<>(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen",
                "-p", socket.toString(), "-t", dir.resolve("state").toString(), "--max-message-size=64K",
                "--max-nesting=32", "--max-file-handles=8", "--max-sessions=4", "--max-exec-processes=4",
                "--max-exec-output=1M"));
        cmd.add(1, "-Xmx64m");
        cmd.add(2, "-XX:+ExitOnOutOfMemoryError");
        Files.createDirectories(dir.resolve("state"));
        agent = AgentProcess.start(dir, cmd);
        agent.awaitListening(socket, WAIT);
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, agent.terminate(WAIT), agent.describe());
    }

    @AfterEach
    void stillAnswersPing() throws Exception {
        try (QgaClient c = QgaClient.connect(socket)) {
            assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"), agent.describe());
        }
        assertTrue(agent.process().isAlive(), agent.describe());
        assertFalse(agent.stderr().contains("OutOfMemoryError"), agent.describe());
    }

    private static String desc(JsonObject o) {
        return o.getAsJsonObject("error").get("desc").getAsString();
    }

    @Test
    void oversizedRequestsAreRefusedOneByOne() throws Exception {
        String big = "x".repeat((int) (4 * MAX_MESSAGE));
        try (QgaClient c = QgaClient.connect(socket)) {
            for (int i = 0; i < 200; i++) { // 50 MiB in all, more than the heap
                c.send("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"" + big + "\"}}");
                assertEquals("JSON token size limit exceeded", desc(c.read(WAIT)));
            }
            assertEquals(5, c.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":5}}").get("return").getAsInt());
        }
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        try (QgaClient c = QgaClient.connect(socket)) {
            for (int i = 0; i < 20; i++) {
                c.send("[".repeat(100_000) + "]".repeat(100_000));
                assertEquals("JSON nesting depth limit exceeded", desc(c.read(WAIT)));
            }
        }
    }

    @Test
    void fileHandlesStopAtTheLimitAndCloseFreesOne() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "data");
        List<Long> handles = new ArrayList<>();
        try (QgaClient c = QgaClient.connect(socket)) {
            String open = "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file + "\"}}";
            for (int i = 0; i < 50; i++) {
                JsonObject r = c.call(open);
                if (r.has("return")) {
                    handles.add(r.get("return").getAsLong());
                } else {
                    assertTrue(desc(r).startsWith("too many open file handles: 8 are open"), r.toString());
                }
            }
            assertEquals(8, handles.size());
            c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handles.remove(0) + "}}");
            handles.add(c.call(open).get("return").getAsLong());
            for (long h : handles) {
                assertTrue(c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + h + "}}")
                        .has("return"));
            }
        }
    }

    @Test
    void sessionsBeyondTheLimitGetAnErrorAndTheOthersGoOn() throws Exception {
        List<QgaClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // with the ping of @AfterEach's predecessor gone: 3 + the probe below
                QgaClient c = QgaClient.connect(socket);
                held.add(c);
                assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"));
            }
            QgaClient fourth = QgaClient.connect(socket);
            held.add(fourth);
            assertTrue(fourth.call("{\"execute\":\"guest-ping\"}").has("return"));
            for (int i = 0; i < 10; i++) {
                try (QgaClient extra = QgaClient.connect(socket)) {
                    JsonObject r = extra.read(WAIT);
                    assertEquals("too many sessions: 4 clients are connected (--max-sessions)", desc(r));
                    assertTrue(extra.closedWithin(WAIT));
                }
            }
            for (QgaClient c : held) {
                assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"));
            }
        } finally {
            for (QgaClient c : held) {
                c.close();
            }
        }
    }

    @Test
    void execProcessesStopAtTheLimitAndCapturedOutputAtTheBudget() throws Exception {
        try (QgaClient c = QgaClient.connect(socket)) {
            // 4 children each writing 4 MiB: the 1 MiB budget is shared, the rest is dropped as truncated.
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                JsonObject r = c.call("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\",\"arg\":"
                        + "[\"-c\",\"head -c 4194304 /dev/zero\"],\"capture-output\":true}}");
                if (r.has("return")) {
                    pids.add(r.getAsJsonObject("return").get("pid").getAsLong());
                } else {
                    assertTrue(desc(r).startsWith("too many guest-exec processes: 4 are running"), r.toString());
                }
            }
            assertEquals(4, pids.size());
            long kept = 0;
            for (long pid : pids) {
                JsonObject s;
                do {
                    Thread.sleep(20);
                    s = c.call("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")
                            .getAsJsonObject("return");
                } while (!s.get("exited").getAsBoolean());
                if (s.has("out-data")) {
                    kept += Base64.getDecoder().decode(s.get("out-data").getAsString()).length;
                }
                assertTrue(s.get("out-truncated") == null || s.get("out-truncated").getAsBoolean(), s.toString());
            }
            assertTrue(kept <= 1 << 20, "kept " + kept);
            assertTrue(kept > 0, "kept " + kept);
            // Collected: the slots and the budget are free again.
            JsonObject again = c.call("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/echo\","
                    + "\"arg\":[\"ok\"],\"capture-output\":true}}");
            long pid = again.getAsJsonObject("return").get("pid").getAsLong();
            JsonObject s;
            do {
                Thread.sleep(20);
                s = c.call("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")
                        .getAsJsonObject("return");
            } while (!s.get("exited").getAsBoolean());
            assertEquals("ok\n", new String(Base64.getDecoder().decode(s.get("out-data").getAsString()),
                    StandardCharsets.UTF_8));
        }
    }
}
