package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.NativeActivator;
import org.jqga.it.support.NotifyReceiver;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a command runs: the agent notifies STOPPING=1, lets the command finish, answers it, removes what it
 * created and exits 0. The command held in flight is guest-suspend-hybrid, whose first step runs
 * {@code systemctl status}: a stand-in on PATH blocks until the test lets it go, then says "no such unit" (so
 * nothing is ever suspended: hybrid has no sysfs fallback and the stand-in pm-is-supported says no).
 */
class GracefulShutdownIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path fakeBin() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\ntouch '" + dir.resolve("started") + "'\nwhile [ ! -e '"
                + dir.resolve("go") + "' ]; do sleep 0.05; done\nexit 4\n");
        Path pm = bin.resolve("pm-is-supported");
        Files.writeString(pm, "#!/bin/sh\nexit 1\n");
        for (Path p : List.of(systemctl, pm)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private void awaitFile(Path p) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(p) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(p), p + " appeared");
    }

    @Test
    void sigtermFinishesTheCommandInFlightAnswersItNotifiesStoppingAndExitsZero() throws Exception {
        Path bin = fakeBin();
        Path socket = dir.resolve("qga.sock");
        Path pidfile = dir.resolve("agent.pid");
        Path output = dir.resolve("agent.out");
        try (NativeActivator activator = NativeActivator.listen(socket);
             NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"));
             QgaClient client = QgaClient.connect(socket)) {
            int pid = activator.spawn(AgentProcess.agentCommand(AgentProcess.classPath(), "-v",
                    "--pidfile=" + pidfile), Map.of("NOTIFY_SOCKET", notify.notifySocket(),
                    "PATH", bin + ":/usr/bin:/bin"), "qga", output);
            try {
                notify.awaitExactly("READY=1", WAIT);
                assertTrue(Files.exists(pidfile), "the agent wrote its pidfile");
                client.send("{\"execute\":\"guest-suspend-hybrid\",\"id\":7}");
                awaitFile(dir.resolve("started"));

                NativeActivator.terminate(pid);
                notify.awaitExactly("STOPPING=1", WAIT);
                assertEquals(-1, NativeActivator.exitStatusIfExited(pid), "the agent waits for the command");
                Files.createFile(dir.resolve("go"));

                JsonObject answer = client.read(WAIT);
                assertEquals(7, answer.get("id").getAsInt(), answer.toString());
                assertEquals("the requested suspend mode is not supported by the guest",
                        answer.getAsJsonObject("error").get("desc").getAsString(), answer.toString());
                assertTrue(client.closedWithin(WAIT), "the session ends after the answer");
                assertEquals(0, NativeActivator.awaitExit(pid, WAIT), Files.readString(output));
            } finally {
                Files.deleteIfExists(dir.resolve("go"));
                Files.createFile(dir.resolve("go"));
                NativeActivator.terminate(pid);
            }
            assertFalse(Files.exists(pidfile), "the pidfile is removed");
            assertTrue(Files.exists(socket), "the activator's socket is not the agent's to remove");
        }
    }

    @Test
    void sigtermRemovesTheSocketTheAgentBoundAndExitsZero() throws Exception {
        Path socket = dir.resolve("own.sock");
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "-m", "unix-listen", "-p", socket.toString()))) {
            agent.awaitListening(socket, WAIT);
            try (QgaClient c = QgaClient.connect(socket)) {
                assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"));
            }
            assertEquals(0, agent.terminate(WAIT), agent.describe());
            assertFalse(Files.exists(socket), "the socket file is removed" + agent.describe());
        }
    }

    /**
     * A client that sent half a request and nothing more does not hold up SIGTERM for the grace period: nothing of it
     * was dispatched, so its session is ended like an idle one, the partial request is dropped with a log line and
     * the agent exits 0.
     */
    @Test
    void sigtermDoesNotWaitForAClientThatSentHalfARequest() throws Exception {
        Path socket = dir.resolve("own.sock");
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "-v", "-m", "unix-listen", "-p", socket.toString()));
             QgaClient half = QgaClient.connect(awaitListening(agent, socket))) {
            half.send("{\"execute\":\"guest-pi");
            // Nothing shows when the agent has read these bytes; if SIGTERM comes first, they are read during the
            // stop, which then ends the same way.
            assertTrue(half.silentFor(Duration.ofMillis(300)), "half a request gets no answer");
            agent.process().destroy();
            // One bound, generous on purpose: an idle client lets the agent exit in about 0.6 s, the bug made it wait
            // the whole 10 s grace; 5 s tells them apart on a loaded machine. awaitExit fails if the agent is alive.
            assertEquals(0, agent.awaitExit(Duration.ofSeconds(5)), agent.describe());
            assertTrue(agent.stderr().contains("the agent is stopping: the partial request of client "),
                    agent.describe());
            assertTrue(half.closedWithin(WAIT), "the half-request client was disconnected");
        }
    }

    private static Path awaitListening(AgentProcess agent, Path socket) throws InterruptedException {
        agent.awaitListening(socket, WAIT);
        return socket;
    }
}
