package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jqga.api.posix.Posix;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.PtyHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --method=virtio-serial} and {@code --method=isa-serial} with the agent as a real process and a
 * pseudo-terminal standing in for the device: the agent opens the slave (through a symbolic link, as
 * {@code /dev/virtio-ports/org.qemu.guest_agent.0} is one), the test is the host on the master.
 */
class ChardevIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration REPLY = Duration.ofSeconds(10);
    private final Posix posix = Posix.load();

    @TempDir
    Path dir;

    private AgentProcess start(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--verbose");
        return AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(), all.toArray(String[]::new)));
    }

    private static String sync(long id) {
        return "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}";
    }

    /** The line a host waits for after guest-sync-delimited: 0xFF, then the answer with its id. */
    private static String syncAnswer(long id) {
        return "\u00ff{\"return\": " + id + "}\n";
    }

    /**
     * Like a host that has just attached: repeat guest-sync-delimited with new ids until one is answered (bytes sent
     * before the agent (re)opened the device may be discarded), and return the first line the agent sent.
     */
    private static String firstAnswer(PtyHost host, List<Long> ids) throws Exception {
        for (long id = 1000; id < 1100; id++) {
            ids.add(id);
            host.send(sync(id));
            String line = host.readLine(Duration.ofMillis(300));
            if (line != null) {
                return line;
            }
        }
        throw new AssertionError("no answer to 100 guest-sync-delimited requests");
    }

    @Test
    void virtioSerialServesEachHostSessionWithACleanFramer() throws Exception {
        Path port = dir.resolve("org.qemu.guest_agent.0");
        PtyHost host = new PtyHost(posix).raw();
        Files.createSymbolicLink(port, Path.of(host.slavePath()));
        try (AgentProcess agent = start("--method=virtio-serial", "--path=" + port)) {
            agent.awaitStderr("serving virtio-serial port " + port, START);
            host.send(sync(1));
            assertEquals(syncAnswer(1), host.readLine(REPLY), agent.describe());
            host.send("{\"execute\":\"guest-ping\"}");
            assertEquals("{\"return\": {}}\n", host.readLine(REPLY));

            // The host goes away in the middle of a request.
            host.send("{\"execute\":\"guest-ping\",\"arguments\":{");
            host.close();
            agent.awaitStderr("the tty hung up", START);
            assertTrue(agent.process().isAlive(), "a hang-up must not end the agent" + agent.describe());

            // A new host program attaches to the same port.
            PtyHost next = new PtyHost(posix).raw();
            try {
                Files.delete(port);
                Files.createSymbolicLink(port, Path.of(next.slavePath()));
                List<Long> sent = new ArrayList<>();
                String first = firstAnswer(next, sent);
                // Had the half request survived, its open brace would swallow the new request into an error.
                assertTrue(sent.stream().anyMatch(id -> first.equals(syncAnswer(id))),
                        "first line of the new session: " + first + agent.describe());
                next.send("{\"execute\":\"guest-ping\",\"id\":\"after\"}");
                String line;
                do {
                    line = next.readLine(REPLY);
                    assertNotNull(line, "no answer to guest-ping" + agent.describe());
                } while (line.startsWith("\u00ff")); // answers to repeated syncs still on their way
                assertEquals("{\"return\": {}, \"id\": \"after\"}\n", line);
            } finally {
                next.close();
            }
            assertTrue(agent.process().isAlive(), agent.describe());
        }
    }

    @Test
    void garbageBurstThenDelimiterResynchronises() throws Exception {
        Path port = dir.resolve("org.qemu.guest_agent.0");
        try (PtyHost host = new PtyHost(posix).raw()) {
            Files.createSymbolicLink(port, Path.of(host.slavePath()));
            try (AgentProcess agent = start("--method=virtio-serial", "--path=" + port)) {
                agent.awaitStderr("serving virtio-serial port " + port, START);
                StringBuilder garbage = new StringBuilder("}}]{\"execute\":\"guest-ping\",\"arguments\":{\"x\":[1,\"");
                String alphabet = "{[\"\\:,}] ab" + (char) 1 + (char) 0x80;
                for (int i = 0; i < 2000; i++) {
                    garbage.append(alphabet.charAt(i * 7 % alphabet.length()));
                }
                host.send(garbage.toString());
                host.sendBytes(new byte[] {(byte) 0xFF});
                host.send(sync(77));
                // A host discards everything up to the 0xFF that starts the answer to its sync.
                String line;
                do {
                    line = host.readLine(REPLY);
                    assertNotNull(line, "no resynchronised answer" + agent.describe());
                } while (!line.startsWith("\u00ff"));
                assertEquals(syncAnswer(77), line);
                host.send("{\"execute\":\"guest-ping\"}");
                assertEquals("{\"return\": {}}\n", host.readLine(REPLY));
            }
        }
    }

    @Test
    void isaSerialPutsTheTtyInRawMode() throws Exception {
        // No raw mode from the test: the agent must set it. In the tty's default (canonical, echoing) mode a
        // request without a newline would never be delivered, and the host would read its own request back.
        try (PtyHost host = new PtyHost(posix)) {
            try (AgentProcess agent = start("--method=isa-serial", "--path=" + host.slavePath())) {
                agent.awaitStderr("serving isa-serial tty " + host.slavePath() + " (raw, 38400 baud)", START);
                host.send("{\"execute\":\"guest-ping\",\"id\":\"cr\"}\r");
                assertEquals("{\"return\": {}, \"id\": \"cr\"}\n", host.readLine(REPLY), agent.describe());
                host.send(sync(5));
                assertEquals(syncAnswer(5), host.readLine(REPLY));
            }
        }
    }

    @Test
    void retryPathWaitsForTheDeviceToAppear() throws Exception {
        Path port = dir.resolve("not-yet");
        try (AgentProcess agent = start("--method=virtio-serial", "--path=" + port, "--retry-path")) {
            agent.awaitStderr("waiting for channel path " + port, START);
            try (PtyHost host = new PtyHost(posix).raw()) {
                Files.createSymbolicLink(port, Path.of(host.slavePath()));
                List<Long> sent = new ArrayList<>();
                String first = firstAnswer(host, sent);
                assertTrue(sent.stream().anyMatch(id -> first.equals(syncAnswer(id))), first + agent.describe());
            }
        }
    }

    @Test
    void missingDeviceWithoutRetryPathIsAPreciseStartupError() throws Exception {
        Path port = dir.resolve("absent");
        try (AgentProcess agent = start("--method=virtio-serial", "--path=" + port)) {
            assertEquals(66, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stderr().contains("--method=virtio-serial --path=" + port + ": error opening channel '"
                    + port + "': No such file or directory (start with --retry-path to wait for the device to"
                    + " appear)"), agent.describe());
        }
    }
}
