package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client-sized user name must not reach libc's user lookup (found by {@link ProtocolFuzzIT}). */
class HugeUserNameIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * What the fuzzer found first: a user name of 2 MiB in guest-ssh-get-authorized-keys overflowed the session
     * thread's stack inside libc's getpwnam_r and killed the JVM (SIGSEGV). Now it is no such user, and the agent
     * goes on.
     */
    @Test
    void aHugeUserNameIsAnUnknownUserNotACrash() throws Exception {
        Path socket = dir.resolve("qga.sock");
        List<String> cmd = new ArrayList<>(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen",
                "-p", socket.toString(), "-t", dir.toString()));
        cmd.add(1, "-Xss512k"); // the launcher's
        try (AgentProcess agent = AgentProcess.start(dir, cmd)) {
            agent.awaitListening(socket, WAIT);
            try (QgaClient c = QgaClient.connect(socket)) {
                for (int size : new int[] {300, 70_000, 2 << 20}) {
                    JsonObject reply = c.call("{\"execute\":\"guest-ssh-get-authorized-keys\",\"arguments\":"
                            + "{\"username\":\"" + "x".repeat(size) + "\"}}");
                    assertTrue(reply.has("error") && reply.getAsJsonObject("error").get("desc").getAsString()
                            .startsWith("failed to lookup user 'xxx"), () -> reply.toString().substring(0, 300)
                            + agent.describe());
                }
                assertTrue(c.call("{\"execute\":\"guest-ping\"}").has("return"), agent.describe());
            }
            assertTrue(agent.process().isAlive(), agent.describe());
        }
    }

}
