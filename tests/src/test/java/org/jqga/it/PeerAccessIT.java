package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --allow-peer-uid} against a real second user: the socket file is opened to everyone
 * ({@code --socket-mode=0666}) so only the agent's check stands between {@code nobody} and the agent.
 */
class PeerAccessIT {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aSecondUidIsRefusedWhereOnlyRootIsAllowed() throws Exception {
        Path setpriv = Tools.require("setpriv", "util-linux");
        Path socat = Tools.require("socat", "socat");
        if (!"0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII).strip())) {
            Tools.unavailable("the test switches to uid 65534 with setpriv, which needs root");
        }
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = shared.resolve("qga.sock");
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--socket-mode=0666", "--allow-peer-uid=0",
                "--verbose"))) {
            agent.awaitListening(socket, START);
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            Process nobody = new ProcessBuilder(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534",
                    "--clear-groups", socat.toString(), "-t", "5", "-", "UNIX-CONNECT:" + socket))
                    .redirectErrorStream(true).start();
            nobody.getOutputStream().write("{\"execute\":\"guest-ping\"}".getBytes(StandardCharsets.UTF_8));
            nobody.getOutputStream().close();
            assertTrue(nobody.waitFor(30, TimeUnit.SECONDS), "the refused client was not disconnected");
            String seen = new String(nobody.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("", seen.strip(), "a refused client gets no answer");

            agent.awaitStderr("is not allowed by --allow-peer-uid=0", START);
            Matcher m = Pattern.compile("refused a client on AF_UNIX stream listener " + Pattern.quote(socket.toString())
                    + ".*: peer uid 65534 gid 65534 pid (\\d+) is not allowed by --allow-peer-uid=0; connection closed")
                    .matcher(agent.stderr());
            assertTrue(m.find(), agent.describe());

            // The listener goes on serving the allowed uid.
            try (QgaClient root = QgaClient.connect(socket)) {
                assertEquals(new JsonObject(), root.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
            }
        }
    }

    /**
     * A flood of refused connections does not flood the log: the first refusals are logged with the peer's uid and
     * pid and the rule, the rest are counted in a line per interval, all at warning level (no --verbose). The
     * refused peer is this test itself: only a uid other than ours is allowed.
     */
    @Test
    void aFloodOfRefusedClientsIsLoggedThrottledWithACount() throws Exception {
        long ourUid = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        long allowed = ourUid == 4242 ? 4243 : 4242;
        Path socket = dir.resolve("qga.sock");
        int connects = 2000;
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--allow-peer-uid=" + allowed))) {
            agent.awaitListening(socket, START);
            ByteBuffer one = ByteBuffer.allocate(1);
            for (int i = 0; i < connects; i++) {
                try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    one.clear();
                    assertEquals(-1, c.read(one), "a refused client is disconnected without an answer");
                }
            }
            // The count of what was left out is written once the interval has passed, with no further refusal.
            agent.awaitStderr("more refused clients not logged", START);
            String log = agent.stderr();
            Matcher first = Pattern.compile("refused a client on AF_UNIX stream listener .*: peer uid " + ourUid
                    + " gid \\d+ pid " + ProcessHandle.current().pid() + " is not allowed by --allow-peer-uid="
                    + allowed + "; connection closed").matcher(log);
            assertTrue(first.find(), log);
            List<String> lines = log.lines().toList();
            assertTrue(lines.size() < 50, lines.size() + " lines of log for " + connects + " refusals:\n"
                    + String.join("\n", lines.subList(0, Math.min(lines.size(), 30))));
            long counted = lines.stream().filter(l -> l.contains("refused a client")).count();
            Matcher counts = Pattern.compile("(\\d+) more refused clients not logged").matcher(log);
            while (counts.find()) {
                counted += Long.parseLong(counts.group(1));
            }
            // awaitListening's probe that connected was refused too.
            assertEquals(connects + 1, counted, "every refusal is either logged or counted:\n" + log);
            assertTrue(lines.stream().allMatch(l -> !l.contains("refused") || l.contains("WARNING")
                    || l.contains("warning")), log);
            assertTrue(agent.process().isAlive(), agent.describe());
        }
    }
}
