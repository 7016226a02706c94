package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.Exec;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration as a running agent meets it: a real config file found through QGA_CONF or -c, command-line
 * options over it, the pidfile shared by two agents (and by jqga and the real qemu-ga), the log file reopened on
 * SIGHUP, journal priorities on stderr.
 */
class AgentConfigurationIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path write(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, body, StandardCharsets.UTF_8);
        return p;
    }

    private AgentProcess start(Map<String, String> env, String... args) throws Exception {
        return AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(), args), env);
    }

    private static void ping(Path socket) throws Exception {
        try (QgaClient client = QgaClient.connect(socket)) {
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
        }
    }

    @Test
    void anAgentStartedWithoutOptionsTakesEverythingFromTheFileNamedByQgaConf() throws Exception {
        Path socket = dir.resolve("from-file.sock");
        Path pid = dir.resolve("agent.pid");
        Path log = dir.resolve("agent.log");
        Path conf = write("qemu-ga.conf", "# as an operator writes it\n[general]\nmethod = unix-listen\n"
                + "path = " + socket + "\npidfile=" + pid + "\nlogfile=" + log + "\nverbose=true\nstatedir=" + dir
                + "\nblock-rpcs=guest-info\n");
        try (AgentProcess agent = start(Map.of("QGA_CONF", conf.toString()))) {
            agent.awaitListening(socket, START);
            ping(socket);
            try (QgaClient client = QgaClient.connect(socket)) {
                JsonObject reply = client.call("{\"execute\":\"guest-info\"}");
                assertEquals("CommandNotFound", reply.getAsJsonObject("error").get("class").getAsString(),
                        reply.toString());
            }
            assertEquals(agent.pid() + "\n", Files.readString(pid));
            assertTrue(Files.readString(log).contains(": info: "), "verbose=true logs info lines to the file");
            assertTrue(Files.exists(dir.resolve("qga.state")), "statedir is prepared as qemu-ga does");
            assertEquals(0, agent.terminate(EXIT), agent.describe());
        }
        assertFalse(Files.exists(pid), "the pidfile is removed on a clean exit");
    }

    @Test
    void minusCNamesTheFileAndCommandLineOptionsWinOverIt() throws Exception {
        Path fileSocket = dir.resolve("file.sock");
        Path cliSocket = dir.resolve("cli.sock");
        Path conf = write("other.conf", "[general]\nmethod=unix-listen\npath=" + fileSocket + "\n");
        Path decoy = write("decoy.conf", "[general]\nmethod=vsock-listen\npath=1:1\n");
        try (AgentProcess agent = start(Map.of("QGA_CONF", decoy.toString()), "-c", conf.toString(),
                "--path=" + cliSocket)) {
            agent.awaitListening(cliSocket, START);
            ping(cliSocket);
            assertFalse(Files.exists(fileSocket), "the file's path was overridden");
        }
    }

    @Test
    void aBrokenConfigFileStopsTheAgentWithQemuGasMessage() throws Exception {
        Path conf = write("bad.conf", "[general]\nretry-path=sometimes\n");
        Exec.Result r = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen", "-p",
                dir.resolve("x.sock").toString()), Map.of("QGA_CONF", conf.toString()), dir, START);
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stderr().contains("CRITICAL **: ") && r.stderr().contains("error loading configuration from path: "
                + conf + ", Key file contains key \u201cretry-path\u201d which has a value that cannot be interpreted."),
                r.toString());
        assertFalse(Files.exists(dir.resolve("x.sock")));
    }

    @Test
    void aSecondAgentWithTheSamePidfileIsRefusedNamingTheFirst() throws Exception {
        Path pid = dir.resolve("qga.pid");
        Path first = dir.resolve("first.sock");
        Path second = dir.resolve("second.sock");
        try (AgentProcess one = start(Map.of(), "-m", "unix-listen", "-p", first.toString(), "-f", pid.toString())) {
            one.awaitListening(first, START);
            Exec.Result two = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen",
                    "-p", second.toString(), "--pidfile=" + pid), Map.of(), dir, START);
            assertEquals(73, two.status(), two.toString());
            assertTrue(two.stderr().contains("critical: Cannot lock pid file " + pid + ": it is held by pid "
                    + one.pid()), two.toString());
            assertFalse(Files.exists(second), "refused before touching any socket");
            ping(first);
            assertEquals(one.pid() + "\n", Files.readString(pid), "the refused agent left the file alone");
            assertEquals(0, one.terminate(EXIT));
        }
        assertFalse(Files.exists(pid));
    }

    @Test
    void jqgaAndTheRealQemuGaExcludeEachOtherThroughThePidfileLock() throws Exception {
        Path qemuGa = Tools.require("qemu-ga", "qemu-guest-agent");
        Path pid = dir.resolve("shared.pid");
        Path qemuSocket = dir.resolve("qemu.sock");
        Exec.Result daemon = Exec.run(List.of(qemuGa.toString(), "-d", "-m", "unix-listen", "-p",
                qemuSocket.toString(), "-f", pid.toString(), "-t", dir.toString()),
                Map.of("QGA_CONF", dir.resolve("absent.conf").toString()), dir, START);
        assertEquals(0, daemon.status(), daemon.toString());
        long qemuPid = awaitPid(pid);
        try {
            Exec.Result jqga = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen",
                    "-p", dir.resolve("j.sock").toString(), "-f", pid.toString()), Map.of(), dir, START);
            assertEquals(73, jqga.status(), jqga.toString());
            assertTrue(jqga.stderr().contains("it is held by pid " + qemuPid), jqga.toString());
        } finally {
            ProcessHandle.of(qemuPid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static long awaitPid(Path pidfile) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidfile)) {
                String text = Files.readString(pidfile).trim();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pid in " + pidfile);
    }

    @Test
    void sighupReopensTheLogFileSoLogrotateCanMoveIt() throws Exception {
        Path socket = dir.resolve("log.sock");
        Path log = dir.resolve("agent.log");
        Path rotated = dir.resolve("agent.log.1");
        try (AgentProcess agent = start(Map.of(), "-m", "unix-listen", "-p", socket.toString(), "-l",
                log.toString(), "-v")) {
            agent.awaitListening(socket, START);
            Files.move(log, rotated);
            Exec.Result kill = Exec.run(List.of("kill", "-HUP", Long.toString(agent.pid())), Map.of(), dir, START);
            assertEquals(0, kill.status(), kill.toString());
            long deadline = System.nanoTime() + START.toNanos();
            while (!Files.exists(log) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(log), "a new log file was opened" + agent.describe());
            ping(socket);
            assertEquals(0, agent.terminate(EXIT), agent.describe());
            assertTrue(Files.readString(log).contains("log file reopened"), Files.readString(log));
            assertTrue(Files.readString(log).contains(": info: stopped"), Files.readString(log));
            assertFalse(Files.readString(rotated).contains("stopped"), "nothing went to the moved file after HUP");
        }
    }

    @Test
    void whenStderrIsTheJournalEveryLineCarriesItsSyslogPriority() throws Exception {
        // systemd sets JOURNAL_STREAM to the device and inode of the stream it connects to stderr; the agent's
        // stderr here is a file, so naming that file's device and inode is the same situation.
        Path socket = dir.resolve("journal.sock");
        Path stderr = dir.resolve("stderr.txt");
        Files.createFile(stderr);
        String journalStream = Files.getAttribute(stderr, "unix:dev") + ":" + Files.getAttribute(stderr, "unix:ino");
        ProcessBuilder pb = new ProcessBuilder(AgentProcess.agentCommand(AgentProcess.classPath(), "-m",
                "unix-listen", "-p", socket.toString(), "-v"))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JOURNAL_STREAM", journalStream);
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + START.toNanos();
            while (!Files.readString(stderr).contains("serving") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(20);
            }
            ping(socket);
        } finally {
            p.destroy();
            p.waitFor();
        }
        List<String> lines = Files.readAllLines(stderr);
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.matches("<[2-7]>\\d+\\.\\d{6}: [a-z]+: .*"), line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("<6>") && l.contains(": info: ")), lines.toString());

        // The same variable inherited by a process whose stderr is something else: no prefixes.
        Exec.Result other = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), "-m", "unix-listen", "-p",
                "/nonexistent-dir/x.sock"), Map.of("JOURNAL_STREAM", journalStream), dir, START);
        assertFalse(other.stderr().isEmpty(), other.toString());
        assertFalse(other.stderr().startsWith("<"), other.toString());
    }
}
