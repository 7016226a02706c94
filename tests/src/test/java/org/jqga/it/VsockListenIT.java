package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jqga.api.BindOptions;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.Tools;
import org.jqga.transport.vsock.VsockTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --method=vsock-listen} with the agent as a real process. Binding works wherever the kernel has the vsock
 * core; a client needs a peer (the host of a VM, or vsock_loopback), so the test that connects says so and is
 * skipped on machines without one.
 */
class VsockListenIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final String MISSING = "--method=vsock-listen --path=-1:4000, but no transport for AF_VSOCK is"
            + " installed (add jqga-transport-vsock to the class path)";

    @TempDir
    Path dir;

    private static void requireVsockKernel() {
        VsockTransport.unavailabilityCause().ifPresent(Tools::needsVm);
    }

    private AgentProcess run(String classPath, String... args) throws IOException {
        return AgentProcess.start(dir, AgentProcess.agentCommand(classPath, args));
    }

    @Test
    void explainShowsTheVsockEndpoint() throws Exception {
        try (AgentProcess agent = run(AgentProcess.classPath(), "--method=vsock-listen", "--path=-1:4000",
                "--explain-activation")) {
            assertEquals(0, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stdout().contains("manual (priority 0): would open --method=vsock-listen --path=-1:4000:"
                    + " AF_VSOCK stream listener vsock:4294967295:4000 (any CID, port 4000)"),
                    agent.describe());
        }
    }

    @Test
    void explainWithoutTheTransportNamesTheMissingModule() throws Exception {
        try (AgentProcess agent = run(AgentProcess.classPathWithout("transport-vsock"), "--method=vsock-listen",
                "--path=-1:4000", "--explain-activation")) {
            assertEquals(0, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stdout().contains("manual (priority 0): cannot open a channel: " + MISSING),
                    agent.describe());
        }
    }

    @Test
    void runWithoutTheTransportFailsWithThePreciseError() throws Exception {
        try (AgentProcess agent = run(AgentProcess.classPathWithout("transport-vsock"), "--method=vsock-listen",
                "--path=-1:4000")) {
            assertEquals(69, agent.awaitExit(START), agent.describe()); // EX_UNAVAILABLE
            assertTrue(agent.stderr().contains(MISSING), agent.describe());
        }
    }

    @Test
    void badAddressGetsQemusMessage() throws Exception {
        try (AgentProcess agent = run(AgentProcess.classPath(), "--method=vsock-listen", "--path=3:4000x")) {
            assertEquals(73, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stderr().contains("--method=vsock-listen --path=3:4000x: trailing characters in"
                    + " address '3:4000x'"), agent.describe());
        }
    }

    @Test
    void bindsAnyCidAndHoldsThePort() throws Exception {
        requireVsockKernel();
        long port = ThreadLocalRandom.current().nextLong(20_000, 60_000);
        try (AgentProcess agent = run(AgentProcess.classPath(), "--method=vsock-listen", "--path=-1:" + port,
                "--verbose")) {
            agent.awaitStderr("serving AF_VSOCK stream listener vsock:4294967295:" + port + " (any CID, port " + port
                    + ")", START);
            // The kernel holds the port for the agent: binding it again from here is refused.
            IOException e = assertThrows(IOException.class,
                    () -> new VsockTransport().bind("-1:" + port, BindOptions.defaults()));
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            assertEquals(0, agent.terminate(START), agent.describe());
        }
        // Stopped, the agent released it.
        new VsockTransport().bind("-1:" + port, BindOptions.defaults()).close();
    }

    /**
     * Needs a vsock peer. With vsock_loopback (or inside a VM whose host runs the client) socat connects to CID 1
     * and is served; with {@code --allow-peer-cid=2} the same client is refused. Skipped here when no peer exists.
     */
    @Test
    void clientIsServedAndCheckedAgainstAllowPeerCid() throws Exception {
        requireVsockKernel();
        Path socat = Tools.require("socat", "socat");
        long port = ThreadLocalRandom.current().nextLong(20_000, 60_000);
        try (AgentProcess agent = run(AgentProcess.classPath(), "--method=vsock-listen", "--path=-1:" + port,
                "--verbose")) {
            agent.awaitStderr("serving AF_VSOCK", START);
            Process client = new ProcessBuilder(socat.toString(), "-t", "5", "-", "VSOCK-CONNECT:1:" + port)
                    .redirectErrorStream(true).start();
            client.getOutputStream().write("{\"execute\":\"guest-ping\"}".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().close();
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "socat did not finish");
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!out.contains("{\"return\": {}}")) {
                Tools.needsVm("socat VSOCK-CONNECT:1:" + port + " was not served (" + out.strip() + "): this kernel"
                        + " has no vsock loopback transport; a vsock client needs a VM's host or vsock_loopback");
            }
        }
        try (AgentProcess agent = run(AgentProcess.classPath(), "--method=vsock-listen", "--path=-1:" + port,
                "--verbose", "--allow-peer-cid=2")) {
            agent.awaitStderr("serving AF_VSOCK", START);
            Process client = new ProcessBuilder(List.of(socat.toString(), "-t", "5", "-", "VSOCK-CONNECT:1:" + port))
                    .redirectErrorStream(true).start();
            client.getOutputStream().write("{\"execute\":\"guest-ping\"}".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().close();
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "socat did not finish");
            assertEquals("", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            agent.awaitStderr("peer cid 1 port", START);
            assertTrue(agent.stderr().contains("is not allowed by --allow-peer-cid=2"), agent.describe());
        }
    }
}
