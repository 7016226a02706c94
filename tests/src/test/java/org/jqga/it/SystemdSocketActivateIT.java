package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.NotifyReceiver;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The agent started by the real {@code systemd-socket-activate} (Debian package {@code systemd}), which imitates a
 * socket unit: it binds, waits for the first client and execs the agent with the sockets from fd 3 and
 * {@code LISTEN_*} (or, with {@code --accept}, forks one agent per connection with the connected socket).
 */
class SystemdSocketActivateIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REPLY = Duration.ofSeconds(30);
    private static final String PING = "{\"execute\":\"guest-ping\"}";

    @TempDir
    Path dir;
    private Path activate;

    @BeforeEach
    void requireTool() {
        activate = Tools.require("systemd-socket-activate", "systemd");
    }

    /** {@code systemd-socket-activate ACTIVATE_ARGS java ... org.jqga.agent.Main AGENT_ARGS}. */
    private List<String> underActivate(List<String> activateArgs, String classPath, String... agentArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(activate.toString());
        cmd.addAll(activateArgs);
        cmd.addAll(AgentProcess.agentCommand(classPath, agentArgs));
        return cmd;
    }

    /** Starts the tool and waits until it listens on all {@code sockets} (it prints one line per socket). */
    private AgentProcess startActivator(List<String> command, int sockets) throws Exception {
        AgentProcess p = AgentProcess.start(dir, command);
        for (int i = 0; i < sockets; i++) {
            p.awaitStderr("as " + (3 + i) + ".", START);
        }
        return p;
    }

    private static JsonObject ping(QgaClient client) throws Exception {
        return client.call(PING);
    }

    @Test
    void theSeedRecipeAnswersGuestPingThroughTheLauncherAndSocat() throws Exception {
        Path socat = Tools.require("socat", "socat");
        Path socket = dir.resolve("qga.sock");
        Path pidfile = dir.resolve("pid");
        Path launcher = AgentProcess.repository().resolve("jqga");
        try (AgentProcess agent = startActivator(List.of(activate.toString(), "-l", socket.toString(),
                launcher.toString(), "--logfile=" + dir.resolve("log"), "--pidfile=" + pidfile, "--statedir=" + dir),
                1)) {
            Process client = new ProcessBuilder(socat.toString(), "-", "UNIX-CONNECT:" + socket)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (OutputStream in = client.getOutputStream();
                 BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                         StandardCharsets.UTF_8))) {
                in.write(PING.getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertEquals("{\"return\": {}}", out.readLine(), agent.describe());
            }
            assertTrue(client.waitFor(30, TimeUnit.SECONDS));
            assertEquals(Long.toString(agent.pid()), Files.readString(pidfile).trim(),
                    "LISTEN_PID names the tool's pid: the launcher and the tool must exec, not fork");
            assertEquals(0, agent.terminate(START), agent.describe());
            assertTrue(Files.exists(socket), "a socket that systemd owns is never unlinked by the agent");
            assertFalse(Files.exists(pidfile));
        }
    }

    @Test
    void twoNamedSocketsAreBothServedAndReportedThroughAnAbstractNotifySocket() throws Exception {
        Path qga = dir.resolve("qga.sock");
        Path tools = dir.resolve("tools.sock");
        String name = "jqga-it-notify-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyReceiver notify = NotifyReceiver.abstractName(name);
             AgentProcess agent = startActivator(underActivate(List.of("-l", qga.toString(), "-l", tools.toString(),
                     "--fdname=qga:tools", "-E", "NOTIFY_SOCKET=" + notify.notifySocket(),
                     "-E", "WATCHDOG_USEC=400000"), AgentProcess.classPath()), 2)) {
            try (QgaClient second = QgaClient.connect(tools)) {
                assertEquals(new JsonObject(), ping(second).get("return"), agent.describe());
            }
            try (QgaClient first = QgaClient.connect(qga)) {
                assertEquals(new JsonObject(), ping(first).get("return"), agent.describe());
            }
            notify.awaitExactly("STATUS=serving 2 endpoints: qga, tools", START);
            notify.awaitExactly("READY=1", REPLY);
            notify.awaitExactly("WATCHDOG=1", REPLY);
            notify.awaitExactly("WATCHDOG=1", REPLY);
            assertEquals(0, agent.terminate(START), agent.describe());
            notify.awaitExactly("STOPPING=1", REPLY);
            assertTrue(Files.exists(qga) && Files.exists(tools));
        }
    }

    /**
     * On a listener shared with the supervisor one thread accepts at a time, and it serves the client it accepted:
     * a client that holds its connection open (here with half a request) must not keep the next ones waiting, which
     * needs another acceptor hired while the first is busy.
     */
    @Test
    void clientsOfAnInheritedListenerAreServedWhileAnotherHoldsItsConnection() throws Exception {
        Path qga = dir.resolve("qga.sock");
        try (AgentProcess agent = startActivator(underActivate(List.of("-l", qga.toString()),
                AgentProcess.classPath()), 1);
             QgaClient holding = QgaClient.connect(qga)) {
            assertEquals(new JsonObject(), ping(holding).get("return"), agent.describe());
            holding.send("{\"execute\":\"guest-ping\",");
            for (int i = 0; i < 3; i++) {
                try (QgaClient next = QgaClient.connect(qga)) {
                    assertEquals(i, next.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + i + "}}")
                            .get("return").getAsInt(), agent.describe());
                }
            }
            holding.send("\"id\":9}");
            assertEquals(9, holding.read(REPLY).get("id").getAsInt(), agent.describe());
        }
    }

    @Test
    void listenNameServesOnlyTheNamedSocket() throws Exception {
        Path qga = dir.resolve("qga.sock");
        Path tools = dir.resolve("tools.sock");
        try (AgentProcess agent = startActivator(underActivate(List.of("-l", qga.toString(), "-l", tools.toString(),
                "--fdname=qga:tools"), AgentProcess.classPath(), "--listen-name=tools", "-v"), 2)) {
            try (QgaClient client = QgaClient.connect(tools)) {
                assertEquals(new JsonObject(), ping(client).get("return"), agent.describe());
            }
            agent.awaitStderr("not serving fd 3 (LISTEN_FDNAMES \"qga\"): --listen-name selects tools", REPLY);
            // The agent released the unselected socket and nobody else holds it: it is gone, not silently queuing.
            assertThrows(IOException.class, () -> QgaClient.connect(qga).close());
        }
    }

    @Test
    void acceptModeServesEachConnectionInItsOwnInstance() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path log = dir.resolve("log");
        try (AgentProcess tool = startActivator(underActivate(List.of("--accept", "-l", socket.toString()),
                AgentProcess.classPath(), "-v", "--logfile=" + log), 1)) {
            for (int i = 1; i <= 2; i++) {
                try (QgaClient client = QgaClient.connect(socket)) {
                    JsonObject r = client.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + i + "}}");
                    assertEquals(i, r.get("return").getAsInt(), tool.describe());
                }
            }
            // Each instance serves its one connection and exits on its own.
            long deadline = System.nanoTime() + START.toNanos();
            while (count(log, "info: stopped") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String text = Files.readString(log);
            assertEquals(2, count(log, "info: stopped"), text);
            assertEquals(2, count(log, "serving fd 3: AF_UNIX stream connection " + socket), text);
            assertTrue(tool.process().isAlive(), "the tool keeps listening for the next connection");
        }
    }

    private static int count(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String s = Files.readString(file);
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    /** A port nobody listens on right now (the kernel's pick for port 0; another process could take it meanwhile). */
    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    /**
     * {@code ListenStream=HOST:PORT} served through the inet transport, twice on the same socket, as systemd does it:
     * a shell between the tool and the agent keeps its copy of fd 3 (systemd's) and starts a second agent when the
     * first has exited on {@code --idle-exit}. The second client can only connect if the first agent left the
     * listener alone: a shut-down listening socket refuses everyone, also the clients of the next instance.
     */
    private void tcpListenerIsServedAndOutlivesTheAgent(InetAddress host, String listen) throws Exception {
        int port = freePort(host);
        String address = listen.replace("PORT", Integer.toString(port));
        Path log = dir.resolve("log");
        // Each agent is exec'd by a shell that first sets LISTEN_PID to its own pid, so each one is "this process".
        List<String> cmd = new ArrayList<>(List.of(activate.toString(), "-l", address, "/bin/sh", "-c",
                "sh -c 'LISTEN_PID=$$; export LISTEN_PID; exec \"$@\"' sh \"$@\"; "
                        + "LISTEN_PID=$$; export LISTEN_PID; exec \"$@\"", "sh"));
        cmd.addAll(AgentProcess.agentCommand(AgentProcess.classPath(), "--idle-exit=1", "-v", "--logfile=" + log));
        InetSocketAddress target = new InetSocketAddress(host, port);
        try (AgentProcess tool = startActivator(cmd, 1)) {
            try (QgaClient first = QgaClient.connect(target)) {
                assertEquals(new JsonObject(), ping(first).get("return"), tool.describe());
            }
            awaitCount(log, "info: stopped", 1);
            try (QgaClient second = QgaClient.connect(target)) {
                assertEquals(new JsonObject(), ping(second).get("return"), tool.describe() + Files.readString(log));
            }
            String text = Files.readString(log);
            String serving = "serving fd 3: " + (host instanceof Inet6Address ? "AF_INET6" : "AF_INET")
                    + " stream listener " + address;
            assertEquals(2, count(log, serving), text);
            assertEquals(2, count(log, "session opened: " + (host instanceof Inet6Address ? "[::1]:" : "127.0.0.1:")),
                    "the log names each TCP peer by address and port: " + text);
        }
    }

    @Test
    void acceptModeServesATcpConnectionInItsOwnInstance() throws Exception {
        InetAddress host = InetAddress.getByName("127.0.0.1");
        int port = freePort(host);
        Path log = dir.resolve("log");
        try (AgentProcess tool = startActivator(underActivate(List.of("--accept", "-l", "127.0.0.1:" + port),
                AgentProcess.classPath(), "-v", "--logfile=" + log), 1);
             QgaClient client = QgaClient.connect(new InetSocketAddress(host, port))) {
            JsonObject r = client.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":7}}");
            assertEquals(7, r.get("return").getAsInt(), tool.describe());
            client.close();
            awaitCount(log, "info: stopped", 1);
            assertEquals(1, count(log, "serving fd 3: AF_INET stream connection 127.0.0.1:" + port),
                    Files.readString(log));
        }
    }

    private static void awaitCount(Path log, String text, int n) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (count(log, text) < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(n, count(log, text), Files.exists(log) ? Files.readString(log) : "(no log)");
    }

    @Test
    void anIpv4TcpListenerIsServedAndStillListensForTheNextInstance() throws Exception {
        tcpListenerIsServedAndOutlivesTheAgent(InetAddress.getByName("127.0.0.1"), "127.0.0.1:PORT");
    }

    /**
     * The same over {@code [::1]}. Skipped, with the reason printed, only where the loopback interface has no IPv6
     * address (a container started with IPv6 disabled): no package can add it, so this is not a missing tool that
     * CI should install.
     */
    @Test
    void anIpv6TcpListenerIsServedAndStillListensForTheNextInstance() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        boolean configured = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .anyMatch(loopback6::equals);
        if (!configured) {
            System.err.println("SKIPPED: ::1 is not configured on the loopback interface");
            Assumptions.abort("::1 is not configured on the loopback interface");
        }
        tcpListenerIsServedAndOutlivesTheAgent(loopback6, "[::1]:PORT");
    }

    @Test
    void fdsMeantForAnotherProcessAreIgnored() throws Exception {
        Path trigger = dir.resolve("trigger.sock");
        Path own = dir.resolve("own.sock");
        Path log = dir.resolve("log");
        // The shell runs the agent as a child instead of exec'ing it, so LISTEN_PID names the shell.
        List<String> cmd = new ArrayList<>(List.of(activate.toString(), "-l", trigger.toString(), "/bin/sh", "-c",
                "\"$@\"; exit $?", "sh"));
        cmd.addAll(AgentProcess.agentCommand(AgentProcess.classPath(), "--method=unix-listen", "--path=" + own,
                "-v", "--logfile=" + log));
        try (AgentProcess agent = startActivator(cmd, 1)) {
            SocketChannel.open(UnixDomainSocketAddress.of(trigger)).close();
            agent.awaitListening(own, START);
            try (QgaClient client = QgaClient.connect(own)) {
                assertEquals(new JsonObject(), ping(client).get("return"));
            }
            assertTrue(Files.readString(log).contains("activated by manual"), Files.readString(log));
        }
    }

    @Test
    void aRegularFileAsFd3IsAPreciseConfigurationError() throws Exception {
        Path trigger = dir.resolve("trigger.sock");
        Path file = Files.writeString(dir.resolve("not-a-socket.txt"), "x");
        // The tool passes its socket as fd 3; the shell replaces it with a regular file and execs (same pid).
        List<String> cmd = new ArrayList<>(List.of(activate.toString(), "-l", trigger.toString(), "/bin/sh", "-c",
                "exec 3<\"$1\"; shift; exec \"$@\"", "sh", file.toString()));
        cmd.addAll(AgentProcess.agentCommand(AgentProcess.classPath()));
        try (AgentProcess agent = startActivator(cmd, 1)) {
            SocketChannel.open(UnixDomainSocketAddress.of(trigger)).close();
            assertEquals(78, agent.awaitExit(START), agent.describe()); // EX_CONFIG
            assertTrue(agent.stderr().contains("fd 3 is a regular file " + file + ", but expected a stream socket"
                    + " (listening, or connected for Accept=yes)"), agent.describe());
        }
    }

    @Test
    void aDatagramSocketIsAPreciseConfigurationError() throws Exception {
        Path socket = dir.resolve("dgram.sock");
        try (AgentProcess agent = startActivator(underActivate(List.of("--datagram", "-l", socket.toString()),
                AgentProcess.classPath()), 1);
             AFUNIXDatagramSocket sender = AFUNIXDatagramSocket.newInstance()) {
            sender.getChannel().send(ByteBuffer.wrap(PING.getBytes(StandardCharsets.UTF_8)),
                    AFUNIXSocketAddress.of(socket));
            assertEquals(78, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stderr().contains("fd 3 is an AF_UNIX datagram socket (neither listening nor connected) "
                    + socket + ", but expected a stream socket (listening, or connected for Accept=yes): QGA is a"
                    + " byte stream"), agent.describe());
        }
    }

    @Test
    void aVsockListenerWithoutTheVsockTransportNamesTheMissingModule() throws Exception {
        Path trigger = dir.resolve("trigger.sock");
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        // Nested, as on a real host: the outer tool's unix socket triggers at once, the inner adds the vsock
        // listener as fd 4 (a vsock connection needs a VM, but binding a listener does not).
        List<String> cmd = new ArrayList<>(List.of(activate.toString(), "-l", trigger.toString(),
                activate.toString(), "-l", "vsock::" + port));
        cmd.addAll(AgentProcess.agentCommand(AgentProcess.classPathWithout("transport-vsock")));
        try (AgentProcess agent = startActivator(cmd, 1)) {
            SocketChannel.open(UnixDomainSocketAddress.of(trigger)).close();
            int status = agent.awaitExit(START);
            if (agent.stderr().contains("Failed to open 'vsock")) {
                Tools.needsVm("this kernel cannot bind an AF_VSOCK listener: " + agent.stderr());
            }
            assertEquals(69, status, agent.describe()); // EX_UNAVAILABLE
            assertTrue(agent.stderr().contains("fd 4: AF_VSOCK stream listener vsock:4294967295:" + port
                    + ", but no transport for AF_VSOCK is installed (add jqga-transport-vsock to the class path)"),
                    agent.describe());
        }
    }

    @Test
    void explainActivationDescribesThePassedSockets() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startActivator(underActivate(List.of("-l", socket.toString(), "--fdname=qga"),
                AgentProcess.classPath(), "--explain-activation", "--method=unix-listen", "--path=/nonexistent"), 1)) {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            assertEquals(0, agent.awaitExit(START), agent.describe());
            String line = agent.stdout().lines().filter(l -> l.startsWith("systemd (priority 100): ")).findFirst()
                    .orElseThrow(() -> new AssertionError(agent.describe()));
            assertTrue(line.matches("systemd \\(priority 100\\): LISTEN_PID=\\d+ is this process; LISTEN_FDS=1 \\(fds"
                    + " 3\\.\\.3\\) LISTEN_FDNAMES=qga; would serve fd 3 \\(LISTEN_FDNAMES \"qga\"\\): AF_UNIX stream"
                    + " listener " + socket + " via unix transport; notify: no NOTIFY_SOCKET; --method=unix-listen"
                    + " --path=/nonexistent would be ignored \\(qemu-ga's rule\\)"), line);
        }
    }

    @Test
    void passedFdsWinOverMethodAndPathAndTheLogSaysSo() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path other = dir.resolve("other.sock");
        try (AgentProcess agent = startActivator(underActivate(List.of("-l", socket.toString()),
                AgentProcess.classPath(), "--method=unix-listen", "--path=" + other), 1);
             QgaClient client = QgaClient.connect(socket)) {
            assertEquals(new JsonObject(), ping(client).get("return"), agent.describe());
            agent.awaitStderr("socket activation wins: serving the 1 fd(s) passed by LISTEN_FDS and ignoring"
                    + " --method=unix-listen --path=" + other, REPLY);
            assertFalse(Files.exists(other));
        }
    }

    @Test
    void idleExitIsRefusedWhenTheAgentBindsItsOwnSocket() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--idle-exit=5"))) {
            assertEquals(64, agent.awaitExit(START), agent.describe()); // EX_USAGE
            assertTrue(agent.stderr().contains("--idle-exit=5 needs a supervisor that owns the sockets"),
                    agent.describe());
            assertFalse(Files.exists(socket), "the socket it bound is removed again");
        }
    }

    @Test
    void guestExecChildrenSeeNoActivationVariables() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"));
             AgentProcess agent = startActivator(underActivate(List.of("-l", socket.toString(), "--fdname=qga",
                     "-E", "NOTIFY_SOCKET=" + notify.notifySocket(), "-E", "WATCHDOG_USEC=60000000"),
                     AgentProcess.classPath()), 1);
             QgaClient client = QgaClient.connect(socket)) {
            JsonObject started = client.call("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"env\","
                    + "\"capture-output\":true}}").getAsJsonObject("return");
            long pid = started.get("pid").getAsLong();
            JsonObject status;
            do {
                Thread.sleep(50);
                status = client.call("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")
                        .getAsJsonObject("return");
            } while (!status.get("exited").getAsBoolean());
            String env = new String(Base64.getDecoder().decode(status.get("out-data").getAsString()),
                    StandardCharsets.UTF_8);
            assertTrue(env.contains("PATH="), env);
            for (String variable : List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "NOTIFY_SOCKET",
                    "WATCHDOG_USEC", "WATCHDOG_PID")) {
                assertFalse(env.lines().anyMatch(l -> l.startsWith(variable + "=")), variable + " leaked: " + env);
            }
        }
    }
}
