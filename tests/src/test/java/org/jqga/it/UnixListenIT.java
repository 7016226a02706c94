package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.NotifyReceiver;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a real process bound with {@code --method=unix-listen}, talked to over a real socket. */
class UnixListenIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration REPLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private AgentProcess startAgent(Path socket, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--method=unix-listen", "--path=" + socket, "--verbose"));
        args.addAll(List.of(extra));
        AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                args.toArray(String[]::new)));
        agent.awaitListening(socket, START);
        return agent;
    }

    /**
     * Started by hand from a terminal, the agent says once where it serves (qemu-ga says nothing); with stderr not a
     * terminal (a supervisor, a log), it says nothing beyond its log, as qemu-ga.
     */
    @Test
    void aForegroundAgentOnATerminalSaysOnceWhereItServes() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = AgentProcess.onTerminal(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket))) {
            agent.awaitListening(socket, START);
            try (QgaClient client = QgaClient.connect(socket)) {
                assertEquals("{}", client.call("{\"execute\":\"guest-ping\"}").get("return").toString());
            }
            String said = agent.stdout();
            List<String> serving = said.lines().filter(l -> l.startsWith("jqga: serving")).toList();
            assertEquals(List.of("jqga: serving AF_UNIX stream listener " + socket
                    + " (mode 0600); Ctrl-C stops the agent"), serving.stream().map(String::strip).toList(),
                    agent.describe());
            assertFalse(said.contains("\u001b"), "no terminal escape codes" + agent.describe());
        }
        Path quiet = dir.resolve("quiet.sock");
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + quiet))) {
            agent.awaitListening(quiet, START);
            try (QgaClient client = QgaClient.connect(quiet)) {
                client.call("{\"execute\":\"guest-ping\"}");
            }
            assertEquals("", agent.stderr() + agent.stdout(), "nothing said off a terminal" + agent.describe());
        }
    }

    @Test
    void syncDelimitedAnswersWithTheDelimiterByteForByte() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket); QgaClient client = QgaClient.connect(socket)) {
            client.send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":123}}");
            byte[] expected = ("\u00ff{\"return\": 123}\n").getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(expected, client.readRaw(REPLY));
        }
    }

    @Test
    void guestInfoListsEveryRegisteredCommandEnabled() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket); QgaClient client = QgaClient.connect(socket)) {
            JsonObject info = client.call("{\"execute\":\"guest-info\"}").getAsJsonObject("return");
            List<String> names = new ArrayList<>();
            for (JsonElement e : info.getAsJsonArray("supported_commands")) {
                JsonObject c = e.getAsJsonObject();
                names.add(c.get("name").getAsString());
                assertTrue(c.get("enabled").getAsBoolean(), c.toString());
                // Only these four answer nothing on success (qemu-ga's success-response: false).
                boolean silent = List.of("guest-shutdown", "guest-suspend-disk", "guest-suspend-ram",
                        "guest-suspend-hybrid").contains(c.get("name").getAsString());
                assertEquals(!silent, c.get("success-response").getAsBoolean(), c.toString());
            }
            assertTrue(names.containsAll(List.of("guest-sync", "guest-sync-delimited", "guest-ping", "guest-info")),
                    names.toString());
            assertFalse(info.get("version").getAsString().isEmpty());
        }
    }

    @Test
    void unknownCommandIsCommandNotFoundAndTheConnectionKeepsWorking() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket); QgaClient client = QgaClient.connect(socket)) {
            client.send("{\"execute\":\"nope\",\"id\":\"x\"}");
            assertEquals("{\"id\": \"x\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope"
                    + " has not been found\"}}\n", new String(client.readRaw(REPLY), StandardCharsets.UTF_8));
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
        }
    }

    @Test
    void aClientThatVanishesMidRequestLeavesTheAgentServingTheNext() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket)) {
            try (QgaClient quitter = QgaClient.connect(socket)) {
                quitter.send("{\"execute\":");
            }
            agent.awaitStderr("in the middle of a request", REPLY);
            try (QgaClient next = QgaClient.connect(socket)) {
                // Our framer is per connection: the next client starts clean (qemu-ga would have continued the
                // previous client's half request with these bytes).
                JsonObject r = next.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":7}}");
                assertEquals(7, r.get("return").getAsLong());
            }
            assertTrue(agent.process().isAlive());
        }
    }

    @Test
    void clientsOnSeparateConnectionsAreServedAtTheSameTime() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket); QgaClient idle = QgaClient.connect(socket);
             QgaClient busy = QgaClient.connect(socket)) {
            idle.send("{\"execute\":\"guest-ping\",");
            assertEquals(1, busy.call("{\"execute\":\"guest-ping\",\"id\":1}").get("id").getAsInt());
        }
    }

    /** A systemd {@code Type=notify} unit that passes no sockets (virtio-serial, or a socket the agent binds). */
    @Test
    void notifySocketIsServedWithoutSocketActivation() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"));
             AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                     "--method=unix-listen", "--path=" + socket), Map.of("NOTIFY_SOCKET", notify.notifySocket(),
                     "WATCHDOG_USEC", "400000"))) {
            notify.awaitExactly("STATUS=serving 1 endpoint: " + socket, START);
            notify.awaitExactly("READY=1", REPLY);
            try (QgaClient client = QgaClient.connect(socket)) {
                assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"));
            }
            notify.awaitExactly("WATCHDOG=1", REPLY);
            assertEquals(0, agent.terminate(REPLY), agent.describe());
            notify.awaitExactly("STOPPING=1", REPLY);
        }
    }

    @Test
    void theSocketIsPrivateAndRemovedOnSigterm() throws Exception {
        Path socket = dir.resolve("qga.sock");
        AgentProcess agent = startAgent(socket);
        try (agent) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(0, agent.terminate(Duration.ofSeconds(20)), agent.describe());
            assertFalse(Files.exists(socket), "the socket file the agent bound must be removed on exit");
        }
    }

    @Test
    void socketModeOptionSetsThePermissions() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, "--socket-mode=0660")) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        }
    }

    @Test
    void aStaleSocketFileFromADeadRunIsReplaced() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file behind, like a crash
        }
        assertTrue(Files.exists(socket));
        try (AgentProcess agent = startAgent(socket); QgaClient client = QgaClient.connect(socket)) {
            assertEquals(5, client.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":5}}")
                    .get("return").getAsInt());
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
        Path path = dir.resolve("precious.txt");
        Files.writeString(path, "keep me");
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + path))) {
            int status = agent.awaitExit(START);
            assertNotEquals(0, status);
            assertTrue(agent.stderr().contains(path + " exists and is not a socket"), agent.describe());
            assertEquals("keep me", Files.readString(path));
        }
    }

    @Test
    void aSocketAnotherAgentServesIsNotStolen() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess first = startAgent(socket);
             AgentProcess second = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                     "--method=unix-listen", "--path=" + socket))) {
            assertNotEquals(0, second.awaitExit(START));
            assertTrue(second.stderr().contains("another process is listening"), second.describe());
            try (QgaClient client = QgaClient.connect(socket)) {
                assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"));
            }
        }
    }

    @Test
    void aMissingPathIsAUsageError() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen"))) {
            assertEquals(64, agent.awaitExit(START), agent.describe()); // EX_USAGE
            assertTrue(agent.stderr().contains("must specify a path for this channel"), agent.describe());
        }
    }

    @Test
    void theLauncherExplainsActivation() throws Exception {
        Path launcher = AgentProcess.repository().resolve("jqga");
        Process p = new ProcessBuilder(launcher.toString(), "--explain-activation")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("manual (priority 0): would open --method=virtio-serial"), out);
    }

    @Test
    void theLauncherKeepsItsPidForTheJvm() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path launcher = AgentProcess.repository().resolve("jqga");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(launcher.toString(), "--method=unix-listen",
                "--path=" + socket, "--pidfile=" + dir.resolve("pid")))) {
            agent.awaitPath(socket, Duration.ofSeconds(120));
            String pid = Files.readString(dir.resolve("pid")).trim();
            assertEquals(Long.toString(agent.pid()), pid, "the launcher must exec the JVM");
        }
    }

}
