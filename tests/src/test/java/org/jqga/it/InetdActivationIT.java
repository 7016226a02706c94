package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jqga.api.spi.ActivationProvider;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent started the inetd way, by the real tools: systemd-socket-activate --inetd, s6-ipcserver,
 * s6-ipcserver-socketbinder, socat's EXEC, s6-svscan with the shipped service directory, the shipped runit run
 * script, plain pipes and a terminal. Clients are real AF_UNIX connections; what the agent saw is read from its
 * verbose log.
 */
class InetdActivationIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration REPLY = Duration.ofSeconds(60);
    private static final String PING = "{\"execute\":\"guest-ping\"}";

    @TempDir
    Path dir;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The repository's launcher, as a user types it. */
    private static String launcher() {
        return AgentProcess.repository().resolve("jqga").toString();
    }

    /** What the launcher needs under supervisors that pass the environment on (s6, socat, a shell). */
    private static Map<String, String> launcherEnv() {
        return Map.of("JQGA_JAVA", java(), "JQGA_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
    }

    /** The agent's command line without the launcher (for supervisors that drop JAVA_HOME and friends). */
    private static List<String> agent(String... args) {
        return AgentProcess.agentCommand(AgentProcess.classPath(), args);
    }

    /**
     * A one-word command for socat's EXEC, whose address syntax would split the class path at its colons: a
     * script that execs the agent with the arguments it is given.
     */
    private String agentScript() throws IOException {
        Path script = dir.resolve("agent.sh");
        String cmd = agent().stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Files.writeString(script, "#!/bin/sh\nexec " + cmd + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script.toString();
    }

    /**
     * Connects once the supervisor's socket exists. The file appears with bind(); a connect in the instant before
     * listen() is refused, so refusals are retried. No probe connections: under s6-ipcserver each would start an
     * agent.
     */
    private static QgaClient connect(Path socket, AgentProcess supervisor) throws Exception {
        supervisor.awaitPath(socket, START);
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                return QgaClient.connect(socket);
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !supervisor.process().isAlive()) {
                    throw new AssertionError("cannot connect to " + socket + ": " + e + supervisor.describe(), e);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void assertPing(QgaClient client) throws Exception {
        client.send(PING);
        assertEquals(new JsonObject(), client.read(REPLY).getAsJsonObject("return"));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static long ownUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    private static long ownGid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
    }

    // ---------------------------------------------------------------- acceptance: the commands from the issue

    @Test
    void socatForkExecWithMethodStdioServesTwoClientsInTurn() throws Exception {
        Path socat = Tools.require("socat", "socat");
        Path socket = dir.resolve("s.sock");
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(socat.toString(),
                "UNIX-LISTEN:" + socket + ",fork", "EXEC:" + launcher() + " --method=stdio"), launcherEnv())) {
            for (int i = 0; i < 2; i++) {
                try (QgaClient client = connect(socket, supervisor)) {
                    assertPing(client);
                    client.shutdownOutput();
                    assertTrue(client.closedWithin(REPLY), "the session ends when the client is done");
                }
            }
            assertTrue(supervisor.process().isAlive(), supervisor.describe());
        }
    }

    @Test
    void s6IpcserverRunsOneAgentPerClientAndItsUcspiVariablesReachThePeer() throws Exception {
        Path s6 = Tools.require("s6-ipcserver", "s6");
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("agent.log");
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(s6.toString(), socket.toString(), launcher(),
                "--verbose", "--logfile=" + log), launcherEnv())) {
            for (int i = 0; i < 2; i++) {
                try (QgaClient client = connect(socket, supervisor)) {
                    assertPing(client);
                }
            }
            String text = read(log);
            long uid = ownUid();
            long gid = ownGid();
            long pid = ProcessHandle.current().pid();
            // Peer = the kernel's SO_PEERCRED (this test process) plus s6-ipcserver's UCSPI variables.
            String peer = "session opened: uid " + uid + " gid " + gid + " pid " + pid + " [PROTO=IPC IPCREMOTEEGID="
                    + gid + " IPCREMOTEEUID=" + uid + " IPCREMOTEPATH='']";
            assertEquals(2, count(text, peer), text);
            assertEquals(2, count(text, "activated by inetd"), "one agent per connection\n" + text);
            assertTrue(text.contains("serves the one client on fd 0: AF_UNIX stream connection " + socket), text);
        }
    }

    @Test
    void s6IpcserverSocketbinderHandsOverTheListenerForSeveralClientsAndKeepsItsSocket() throws Exception {
        Path binder = Tools.require("s6-ipcserver-socketbinder", "s6");
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("agent.log");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(binder.toString(), socket.toString(), launcher(),
                "--verbose", "--logfile=" + log), launcherEnv())) {
            for (int i = 0; i < 3; i++) {
                try (QgaClient client = connect(socket, agent)) {
                    assertPing(client);
                    JsonObject sync = client.call("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + i + "}}");
                    assertEquals(i, sync.get("return").getAsInt());
                }
            }
            String text = read(log);
            assertEquals(1, count(text, "activated by inetd"), "one agent accepts every client\n" + text);
            assertEquals(3, count(text, "session opened: uid " + ownUid()), text);
            assertTrue(text.contains("accepts on fd 0: AF_UNIX stream listener " + socket), text);
            assertEquals(0, agent.terminate(Duration.ofSeconds(30)), agent.describe());
            assertTrue(Files.exists(socket), "the socket belongs to the supervisor and must not be removed");
        }
    }

    // ---------------------------------------------------------------- systemd-socket-activate --inetd

    @Test
    void systemdSocketActivateInetdAcceptPutsOneConnectionOnFd0AndTheAgentExitsAfterIt() throws Exception {
        Path ssa = Tools.require("systemd-socket-activate", "systemd");
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of(ssa.toString(), "--inetd", "-a", "-l", socket.toString()));
        cmd.addAll(agent("--verbose", "--logfile=" + log));
        try (AgentProcess supervisor = AgentProcess.start(dir, cmd)) {
            try (QgaClient client = connect(socket, supervisor)) {
                assertPing(client);
                client.shutdownOutput();
                assertTrue(client.closedWithin(REPLY), "the session ends when the client is done");
            }
            supervisor.awaitStderr("died with code 0", REPLY);
            String text = read(log);
            assertTrue(text.contains("serves the one client on fd 0: AF_UNIX stream connection " + socket), text);
            // systemd-socket-activate --inetd puts the socket on fd 1 too: it must not stay the client's.
            assertTrue(text.contains("fd 1 pointed at the same socket as fd 0 and now point at /dev/null"), text);
            assertTrue(text.contains("session opened: uid " + ownUid() + " gid " + ownGid() + " pid "
                    + ProcessHandle.current().pid()), text);
        }
    }

    @Test
    void systemdSocketActivateInetdAcceptHandsOverATcpConnectionOnFd0() throws Exception {
        Path ssa = Tools.require("systemd-socket-activate", "systemd");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Path log = dir.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of(ssa.toString(), "--inetd", "-a", "-l", "127.0.0.1:" + port));
        cmd.addAll(agent("--verbose", "--logfile=" + log));
        try (AgentProcess supervisor = AgentProcess.start(dir, cmd)) {
            supervisor.awaitStderr("as 3.", REPLY);
            try (QgaClient client = QgaClient.connect(new java.net.InetSocketAddress("127.0.0.1", port))) {
                assertPing(client);
                client.shutdownOutput();
                assertTrue(client.closedWithin(REPLY), "the session ends when the client is done");
            }
            supervisor.awaitStderr("died with code 0", REPLY);
            String text = read(log);
            assertTrue(text.contains("serves the one client on fd 0: AF_INET stream connection 127.0.0.1:" + port),
                    text);
            assertTrue(text.contains("session opened: 127.0.0.1:"), text);
        }
    }

    @Test
    void systemdSocketActivateInetdWithoutAcceptPassesTheListener() throws Exception {
        Path ssa = Tools.require("systemd-socket-activate", "systemd");
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of(ssa.toString(), "--inetd", "-l", socket.toString()));
        cmd.addAll(agent("--verbose", "--logfile=" + log));
        try (AgentProcess supervisor = AgentProcess.start(dir, cmd)) {
            for (int i = 0; i < 2; i++) {
                try (QgaClient client = connect(socket, supervisor)) {
                    assertPing(client);
                }
            }
            String text = read(log);
            assertEquals(1, count(text, "activated by inetd"), text);
            assertTrue(text.contains("accepts on fd 0: AF_UNIX stream listener " + socket), text);
        }
    }

    @Test
    void unixserverFromUcspiUnixServesAndItsVariablesReachThePeer() throws Exception {
        Path unixserver = Tools.require("unixserver", "ucspi-unix");
        Path socket = dir.resolve("u.sock");
        Path log = dir.resolve("agent.log");
        // "--": unixserver's option parser would otherwise take the agent's options as its own.
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(unixserver.toString(), socket.toString(),
                "--", agentScript(), "--verbose", "--logfile=" + log));
             QgaClient client = connect(socket, supervisor)) {
            assertPing(client);
            long pid = ProcessHandle.current().pid();
            String text = read(log);
            assertTrue(text.contains("session opened: uid " + ownUid() + " gid " + ownGid() + " pid " + pid
                    + " [PROTO=UNIX UNIXREMOTEEGID=" + ownGid() + " UNIXREMOTEEUID=" + ownUid() + " UNIXREMOTEPID="
                    + pid + "]"), text);
        }
    }

    @Test
    void listenFdsWinsOverASocketOnFd0() throws Exception {
        Path binder = Tools.require("s6-ipcserver-socketbinder", "s6");
        Path ssa = Tools.require("systemd-socket-activate", "systemd");
        boolean systemdProvider = ServiceLoader.load(ActivationProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("systemd"));
        if (!systemdProvider) {
            Tools.unavailable("the systemd activation provider is not on the class path (it comes with issue 4)");
        }
        // fd 0: a listener from s6-ipcserver-socketbinder; fd 3 + LISTEN_FDS: systemd-socket-activate's listener.
        Path outer = dir.resolve("outer.sock");
        Path inner = dir.resolve("inner.sock");
        Path log = dir.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of(binder.toString(), outer.toString(), ssa.toString(), "-l",
                inner.toString()));
        cmd.addAll(agent("--verbose", "--logfile=" + log));
        try (AgentProcess supervisor = AgentProcess.start(dir, cmd); QgaClient client = connect(inner, supervisor)) {
            assertPing(client);
            String text = read(log);
            assertTrue(text.contains("activated by systemd"), text);
            assertFalse(text.contains("activated by inetd"), text);
        }
    }

    // ---------------------------------------------------------------- socat: whichever fd kind it gives

    @Test
    void socatsSocketpairIsNeverGuessedToBeAClient() throws Exception {
        Path socat = Tools.require("socat", "socat");
        Path socket = dir.resolve("s.sock");
        // --explain-activation prints to stdout, which is the socketpair: the client reads the verdict.
        String exec = "EXEC:" + agentScript() + " --explain-activation";
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(socat.toString(),
                "UNIX-LISTEN:" + socket + ",fork", exec));
             QgaClient client = connect(socket, supervisor)) {
            StringBuilder out = new StringBuilder();
            while (!out.toString().contains("manual (priority")) {
                out.append(new String(client.readRaw(REPLY), StandardCharsets.UTF_8));
            }
            assertTrue(out.toString().contains("inetd (priority 50): not used: fd 0: AF_UNIX stream connection"
                    + " (unnamed) (a socketpair, e.g. socat's EXEC without nofork); it is served only with"
                    + " --method=stdio or --activation=inetd, never guessed"), out.toString());
        }
    }

    @Test
    void socatNoforkHandsOverTheClientsOwnSocketAndNoOptionIsNeeded() throws Exception {
        Path socat = Tools.require("socat", "socat");
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("agent.log");
        String exec = "EXEC:" + agentScript() + " --verbose --logfile=" + log + ",nofork";
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(socat.toString(),
                "UNIX-LISTEN:" + socket + ",fork", exec)); QgaClient client = connect(socket, supervisor)) {
            assertPing(client);
            String text = read(log);
            assertTrue(text.contains("serves the one client on fd 0: AF_UNIX stream connection " + socket), text);
            // The real connection: SO_PEERCRED names this test process, not socat.
            assertTrue(text.contains("session opened: uid " + ownUid() + " gid " + ownGid() + " pid "
                    + ProcessHandle.current().pid() + " [SOCAT_PEERADDR="), text);
        }
    }

    @Test
    void socatPipesAreServedWithMethodStdio() throws Exception {
        Path socat = Tools.require("socat", "socat");
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("agent.log");
        String exec = "EXEC:" + agentScript() + " --method=stdio --verbose --logfile=" + log + ",pipes";
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(socat.toString(),
                "UNIX-LISTEN:" + socket + ",fork", exec)); QgaClient client = connect(socket, supervisor)) {
            assertPing(client);
            String text = read(log);
            assertTrue(text.contains("serves stdio: requests from fd 0 (FIFO/pipe"), text);
            assertTrue(text.contains("responses to fd 1 (FIFO/pipe"), text);
        }
    }

    // ---------------------------------------------------------------- stdio and terminals

    @Test
    void stdioOverPipesWithMethodStdio() throws Exception {
        Process agent = new ProcessBuilder(agent("--method=stdio"))
                .redirectError(dir.resolve("stdio.err").toFile()).start();
        try {
            try (OutputStream in = agent.getOutputStream()) {
                in.write(("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":4711}}" + PING)
                        .getBytes(StandardCharsets.UTF_8));
            }
            // End of input ends the session; every request that arrived is answered first.
            String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("{\"return\": 4711}\n{\"return\": {}}\n", out, read(dir.resolve("stdio.err")));
            assertTrue(agent.waitFor(REPLY.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, agent.exitValue(), read(dir.resolve("stdio.err")));
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void pipesWithoutTheOptionAreNotGuessed() throws Exception {
        Process agent = new ProcessBuilder(agent("--explain-activation")).redirectErrorStream(true).start();
        try {
            agent.getOutputStream().close();
            String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("inetd (priority 50): not used: fd 0 is a FIFO/pipe"), out);
            assertTrue(out.contains("plain stdio is served only with --method=stdio or --activation=inetd, never"
                    + " guessed"), out);
        } finally {
            agent.destroyForcibly();
        }
    }

    private AgentProcess onTerminal(List<String> command) throws IOException {
        return AgentProcess.onTerminal(dir, command);
    }

    private static String awaitStdout(AgentProcess p, String text) throws InterruptedException {
        long deadline = System.nanoTime() + REPLY.toNanos();
        while (!p.stdout().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' did not appear" + p.describe());
            }
            Thread.sleep(20);
        }
        return p.stdout();
    }

    @Test
    void aTerminalOnFd0IsNeverAClient() throws Exception {
        try (AgentProcess explain = onTerminal(agent("--explain-activation"))) {
            assertEquals(0, explain.awaitExit(REPLY), explain.describe());
            assertTrue(explain.stdout().contains("inetd (priority 50): not used: fd 0 is a terminal (/dev/pts/"),
                    explain.describe());
        }
        try (AgentProcess forced = onTerminal(agent("--method=stdio"))) {
            assertEquals(64, forced.awaitExit(REPLY), forced.describe());
            assertTrue(forced.stdout().contains("--method=stdio: fd 0 is a terminal (/dev/pts/"), forced.describe());
            assertTrue(forced.stdout().contains("a terminal is never served as a client"), forced.describe());
        }
        // Without the option the terminal is passed over: the agent serves what was configured instead.
        Path socket = dir.resolve("q.sock");
        try (AgentProcess agent = onTerminal(agent("--method=unix-listen", "--path=" + socket, "--verbose"))) {
            agent.awaitListening(socket, START);
            try (QgaClient client = QgaClient.connect(socket)) {
                assertPing(client);
            }
            // script copies the terminal's output (the agent's log) to its stdout.
            String out = awaitStdout(agent, "activated by manual");
            assertTrue(out.contains("inetd activation not used: fd 0 is a terminal"), out);
        }
    }

    // ---------------------------------------------------------------- s6 readiness

    @Test
    void readyFdGetsOneNewlineOnceTheAgentAcceptsAndIsClosed() throws Exception {
        Path mkfifo = Tools.require("mkfifo", "coreutils");
        Path fifo = dir.resolve("ready.fifo");
        Process mk = new ProcessBuilder(mkfifo.toString(), fifo.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        Path socket = dir.resolve("q.sock");
        CompletableFuture<byte[]> notification = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes(); // until the agent closes its end
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec 3>\"$0\" && exec \"$@\"", fifo.toString()));
        cmd.addAll(agent("--method=unix-listen", "--path=" + socket, "--ready-fd=3"));
        try (AgentProcess agent = AgentProcess.start(dir, cmd)) {
            byte[] got = notification.get(START.toSeconds(), TimeUnit.SECONDS);
            assertEquals("\n", new String(got, StandardCharsets.US_ASCII), agent.describe());
            // Ready means accepting: the first connection attempt after the newline must succeed.
            try (QgaClient client = QgaClient.connect(socket)) {
                assertPing(client);
            }
        }
    }

    @Test
    void aReadyFdThatIsNotAnOpenPipeIsAPreciseError() throws Exception {
        Path socket = dir.resolve("q.sock");
        try (AgentProcess agent = AgentProcess.start(dir, agent("--method=unix-listen", "--path=" + socket,
                "--ready-fd=1000"))) {
            assertEquals(78, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stderr().contains("--ready-fd=1000: fd 1000 is not open"), agent.describe());
            assertFalse(Files.exists(socket), "nothing is bound when the configuration is wrong");
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec 7</dev/null && exec \"$@\"", "sh"));
        cmd.addAll(agent("--method=unix-listen", "--path=" + socket, "--ready-fd=7"));
        try (AgentProcess agent = AgentProcess.start(dir, cmd)) {
            assertEquals(78, agent.awaitExit(START), agent.describe());
            assertTrue(agent.stderr().contains("--ready-fd=7: fd 7 is a character device, but a notification fd is"
                    + " the write end of a pipe"), agent.describe());
        }
    }

    // ---------------------------------------------------------------- the shipped contrib files

    private static void copyTree(Path from, Path to) throws Exception {
        Process cp = new ProcessBuilder("cp", "-R", from.toString(), to.toString()).inheritIO().start();
        assertEquals(0, cp.waitFor());
    }

    private static int run(Duration timeout, String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        return p.exitValue();
    }

    @Test
    void theShippedS6ServiceDirRunsUnderS6SvscanAndReportsReadiness() throws Exception {
        Path svscan = Tools.require("s6-svscan", "s6");
        Path scan = dir.resolve("scan");
        Files.createDirectories(scan);
        copyTree(AgentProcess.repository().resolve("contrib/s6/qemu-guest-agent"), scan);
        Path service = scan.resolve("qemu-guest-agent");
        Path socket = dir.resolve("qga.sock");
        Path logdir = dir.resolve("log");
        Map<String, String> env = new HashMap<>(launcherEnv());
        env.put("JQGA", launcher());
        env.put("QGA_SOCKET", socket.toString());
        env.put("QGA_LOGDIR", logdir.toString());
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(svscan.toString(), scan.toString()), env)) {
            try {
                // s6-svwait listens on the event fifodir that s6-supervise creates when it takes the service on.
                supervisor.awaitPath(service.resolve("supervise/status"), START);
                supervisor.awaitPath(service.resolve("event"), START);
                // -U: up and ready, i.e. the agent wrote its newline to notification-fd.
                assertEquals(0, run(START, "s6-svwait", "-U", "-t", Long.toString(START.toMillis()),
                        service.toString()), supervisor.describe() + read(logdir.resolve("current")));
                try (QgaClient client = QgaClient.connect(socket)) {
                    assertPing(client);
                }
                Process stat = new ProcessBuilder("s6-svstat", service.toString()).start();
                String status = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                Matcher ready = Pattern.compile("^up \\(pid \\d+\\) .*, ready ").matcher(status);
                assertTrue(ready.find(), status);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
                String log = read(logdir.resolve("current"));
                assertTrue(log.contains("accepts on fd 0: AF_UNIX stream listener " + socket), log);
            } finally {
                run(Duration.ofSeconds(30), "s6-svscanctl", "-t", scan.toString());
                supervisor.awaitExit(Duration.ofSeconds(30));
            }
        }
    }

    /** The shipped inetd.conf line for {@code mode}, pointed at this test's socket, agent and log. */
    private String inetdLine(String mode, Path socket, Path log) throws IOException {
        String agentScript = agentScript();
        for (String line : Files.readAllLines(AgentProcess.repository().resolve("contrib/inetd/inetd.conf"))) {
            String entry = line.startsWith("#/") ? line.substring(1) : line;
            if (entry.startsWith("/") && entry.split("\\s+")[3].equals(mode)) {
                return entry.replace("/run/qemu-ga.sock", socket.toString()).replace("/usr/sbin/jqga", agentScript)
                        .replace("/var/log/qemu-ga.log", log.toString() + " --verbose");
            }
        }
        throw new AssertionError("contrib/inetd/inetd.conf has no " + mode + " line");
    }

    @Test
    void theShippedInetdLinesServeUnderOpenbsdInetd() throws Exception {
        Path inetd = Tools.require("inetd", "openbsd-inetd");
        for (String mode : List.of("nowait", "wait")) {
            Path socket = dir.resolve(mode + ".sock");
            Path log = dir.resolve(mode + ".log");
            Path conf = dir.resolve(mode + ".conf");
            Files.writeString(conf, inetdLine(mode, socket, log) + "\n");
            // -d: stay in the foreground and log to stderr.
            try (AgentProcess supervisor = AgentProcess.start(dir, List.of(inetd.toString(), "-d", conf.toString()))) {
                try {
                    for (int i = 0; i < 2; i++) {
                        try (QgaClient client = connect(socket, supervisor)) {
                            assertPing(client);
                        }
                    }
                } finally {
                    // A "wait" agent outlives inetd (nothing tells it to stop): end it with the test.
                    supervisor.process().descendants().forEach(ProcessHandle::destroy);
                }
                String text = read(log);
                assertEquals(mode.equals("wait") ? 1 : 2, count(text, "activated by inetd"), mode + "\n" + text);
                // inetd passes the socket as fd 0, 1 and 2; only fd 0 may stay the client's.
                assertTrue(text.contains("fd 1 and fd 2 pointed at the same socket as fd 0"), mode + "\n" + text);
            }
        }
    }

    @Test
    void theShippedRunitRunScriptServesThroughS6Ipcserver() throws Exception {
        Tools.require("s6-ipcserver", "s6");
        Path socket = dir.resolve("qga.sock");
        Map<String, String> env = new HashMap<>(launcherEnv());
        env.put("JQGA", launcher());
        env.put("QGA_SOCKET", socket.toString());
        Path run = AgentProcess.repository().resolve("contrib/runit/qemu-guest-agent/run");
        try (AgentProcess supervisor = AgentProcess.start(dir, List.of(run.toString()), env)) {
            try (QgaClient client = connect(socket, supervisor)) {
                assertPing(client);
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        }
    }
}
