package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.Exec;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --daemonize} observed from outside: the command returns once the agent serves (a client connects right
 * away, without retrying), the agent is a different process in its own session with / as working directory and
 * /dev/null as standard streams, the pidfile holds its pid, a second daemon is refused, SIGTERM cleans up.
 */
class DaemonizeIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private long daemonPid = -1;

    @AfterEach
    void stopTheDaemon() {
        if (daemonPid > 0) {
            ProcessHandle.of(daemonPid).ifPresent(ProcessHandle::destroy);
        }
    }

    private Exec.Result launch(Path cwd, String... args) throws Exception {
        return Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), args),
                Map.of("QGA_CONF", dir.resolve("absent.conf").toString()), cwd, LIMIT);
    }

    /** Field 6 of /proc/PID/stat: the session id. The command name (field 2) may contain spaces, so skip it. */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }

    @Test
    void theCommandReturnsOnceTheDetachedAgentServes() throws Exception {
        // Relative paths, resolved against the directory the command ran in, as with qemu-ga.
        Path work = Files.createDirectories(dir.resolve("work"));
        Exec.Result launcher = launch(work, "-d", "-m", "unix-listen", "-p", "qga.sock", "-f", "qga.pid",
                "-l", "qga.log", "-v");
        assertEquals(0, launcher.status(), launcher.toString());
        Path socket = work.resolve("qga.sock");
        Path pidfile = work.resolve("qga.pid");

        // Serving already: no waiting, no retry.
        try (QgaClient client = QgaClient.connect(socket)) {
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
        }
        daemonPid = Long.parseLong(Files.readString(pidfile).trim());
        Optional<ProcessHandle> daemon = ProcessHandle.of(daemonPid);
        assertTrue(daemon.isPresent() && daemon.get().isAlive(), "the pid in the pidfile is a live process");
        assertEquals(daemonPid, sessionOf(daemonPid), "the agent leads its own session");
        assertNotEquals(sessionOf(ProcessHandle.current().pid()), sessionOf(daemonPid));
        assertEquals(Path.of("/"), Files.readSymbolicLink(Path.of("/proc/" + daemonPid + "/cwd")));
        for (int fd = 0; fd <= 2; fd++) {
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/" + daemonPid + "/fd/" + fd)),
                    "fd " + fd);
        }
        assertEquals("", launcher.stdout(), "the readiness pipe is not the operator's output");
        assertTrue(Files.readString(work.resolve("qga.log")).contains("serving"), "the log file is the daemon's");

        // A second daemon with the same pidfile: its command fails and names the holder.
        Exec.Result second = launch(work, "--daemonize", "-m", "unix-listen", "-p", "second.sock", "-f", "qga.pid");
        assertEquals(73, second.status(), second.toString());
        assertTrue(second.stderr().contains("it is held by pid " + daemonPid), second.toString());
        assertFalse(Files.exists(work.resolve("second.sock")));

        // SIGTERM: a clean exit removes the pidfile and the socket (relative paths, after the change to /).
        daemon.get().destroy();
        daemon.get().onExit().get();
        assertFalse(Files.exists(pidfile), "pidfile removed");
        assertFalse(Files.exists(socket), "socket removed");
        daemonPid = -1;
    }

    @Test
    void daemonInTheConfigFileDaemonizesAndStartUpErrorsReachTheCaller() throws Exception {
        Path socket = dir.resolve("conf.sock");
        Path pidfile = dir.resolve("conf.pid");
        Path conf = dir.resolve("qemu-ga.conf");
        Files.writeString(conf, "[general]\ndaemon=true\nmethod=unix-listen\npath=" + socket + "\npidfile=" + pidfile
                + "\n", StandardCharsets.UTF_8);
        Exec.Result r = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath()),
                Map.of("QGA_CONF", conf.toString()), dir, LIMIT);
        assertEquals(0, r.status(), r.toString());
        daemonPid = Long.parseLong(Files.readString(pidfile).trim());
        try (QgaClient client = QgaClient.connect(socket)) {
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
        }

        // A daemon that cannot start: the command fails with its message instead of returning 0 blindly.
        Exec.Result bad = launch(dir, "-d", "-m", "unix-listen", "-p", "/nonexistent-dir/x.sock", "-f",
                dir.resolve("bad.pid").toString());
        assertNotEquals(0, bad.status(), bad.toString());
        assertTrue(bad.stderr().contains("/nonexistent-dir/x.sock"), bad.toString());
        assertFalse(Files.exists(dir.resolve("bad.pid")), "a failed daemon leaves no pidfile");
    }
}
