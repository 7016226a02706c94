package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
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
}
