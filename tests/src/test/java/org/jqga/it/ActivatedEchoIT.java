package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.Exec;
import org.jqga.it.support.NotifyReceiver;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/activated-echo, the daemon written against {@code org.jqga.api.InheritedSockets} only, started by its
 * launcher under the real supervisors: systemd-socket-activate with two named sockets and in inetd mode,
 * s6-ipcserver (with an s6 readiness fd), and plainly with {@code --listen}. Every start has {@code NOTIFY_SOCKET}
 * (or the readiness fd) and must report readiness; every socket must echo.
 */
class ActivatedEchoIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy(); // SIGTERM to exactly this PID
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static Path example() {
        return AgentProcess.repository().resolve("examples/activated-echo");
    }

    private static String launcher() {
        return example().resolve("activated-echo").toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * systemd-socket-activate passes the daemon only LISTEN_* and what {@code -E} names: the notification socket,
     * and for the launcher its JDK and PATH.
     */
    private static List<String> activateEnv(NotifyReceiver notify) {
        return List.of("-E", "NOTIFY_SOCKET=" + notify.notifySocket(), "-E", "JAVA=" + java(),
                "-E", "PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    private static String[] command(String program, List<String> env, String... args) {
        List<String> all = new ArrayList<>();
        all.add(program);
        all.addAll(env);
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    /** Starts {@code command} with {@code NOTIFY_SOCKET}, the test's JDK for the launcher, and stderr in a file. */
    private Process start(NotifyReceiver notify, Path stderr, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().put("JAVA", java());
        if (notify != null) {
            pb.environment().put("NOTIFY_SOCKET", notify.notifySocket());
        }
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** A connection once the socket exists and accepts (a connect between bind and listen is refused). */
    private static SocketChannel connect(Path socket, Process supervisor) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (Files.exists(socket)) {
                try {
                    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
                } catch (IOException refused) {
                    // listen() not yet called: try again
                }
            }
            if (!supervisor.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(socket + " never accepted a connection; supervisor alive: "
                        + supervisor.isAlive());
            }
            Thread.sleep(20);
        }
    }

    /** Sends {@code line} and returns the line that comes back. */
    private static String echo(SocketChannel channel, String line) throws IOException {
        OutputStream out = Channels.newOutputStream(channel);
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        return in.readLine();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void twoNamedSocketsUnderSystemdSocketActivateBothEchoAndAreReportedByName() throws Exception {
        String activate = Tools.require("systemd-socket-activate", "systemd").toString();
        Path a = dir.resolve("a.sock");
        Path b = dir.resolve("b.sock");
        Path stderr = dir.resolve("stderr");
        try (NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"))) {
            Process p = start(notify, stderr, command(activate, activateEnv(notify), "-l", a.toString(),
                    "-l", b.toString(), "--fdname=first:second", launcher()));
            // systemd-socket-activate execs the daemon at the first connection.
            try (SocketChannel first = connect(a, p)) {
                notify.awaitExactly("READY=1", WAIT);
                assertEquals("one", echo(first, "one"));
                try (SocketChannel second = connect(b, p)) {
                    assertEquals("two", echo(second, "two"));
                }
            }
            String status = notify.seen().stream().filter(m -> m.startsWith("STATUS=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no STATUS= before READY=1: " + notify.seen()));
            assertEquals("STATUS=echoing on first, second", status);
            String log = read(stderr);
            assertTrue(log.contains("serving fd 3 \"first\": AF_UNIX stream listener " + a), log);
            assertTrue(log.contains("serving fd 4 \"second\": AF_UNIX stream listener " + b), log);
        }
    }

    @Test
    void oneConnectionOnFd0UnderSystemdSocketActivateInetdMode() throws Exception {
        String activate = Tools.require("systemd-socket-activate", "systemd").toString();
        Path socket = dir.resolve("inetd.sock");
        Path stderr = dir.resolve("stderr");
        try (NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"))) {
            Process p = start(notify, stderr, command(activate, activateEnv(notify), "--inetd", "-a", "-l",
                    socket.toString(), launcher()));
            try (SocketChannel client = connect(socket, p)) {
                assertEquals("over fd 0", echo(client, "over fd 0"));
                notify.awaitExactly("READY=1", WAIT);
            }
            assertEquals(List.of("STATUS=echoing on " + socket, "READY=1"), notify.seen(), read(stderr));
            assertTrue(read(stderr).contains("serving fd 0 \"" + socket + "\": AF_UNIX stream connection"),
                    read(stderr));
        }
    }

    @Test
    void underS6IpcserverWithAnS6ReadinessFd() throws Exception {
        String ipcserver = Tools.require("s6-ipcserver", "s6").toString();
        Path socket = dir.resolve("s6.sock");
        Path fifo = dir.resolve("notification-fd");
        Exec.Result made = Exec.run(List.of("mkfifo", fifo.toString()), Map.of(), dir, WAIT);
        assertEquals(0, made.status(), made.toString());
        Path stderr = dir.resolve("stderr");
        // s6-supervise would open the pipe as fd 3 (the service directory's notification-fd); a shell does it here.
        String run = "exec 3>'" + fifo + "'; exec '" + launcher() + "' --ready-fd=3";
        Process p = start(null, stderr, ipcserver, socket.toString(), "sh", "-c", run);
        CompletableFuture<byte[]> readiness = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) { // blocks until the daemon's shell opens it
                return in.readAllBytes(); // until the daemon closes it after the newline
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (SocketChannel client = connect(socket, p)) {
            assertEquals("via s6", echo(client, "via s6"));
            assertEquals("\n", new String(readiness.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                    StandardCharsets.US_ASCII), read(stderr));
        }
        assertTrue(read(stderr).contains("serving fd 0 \"" + socket + "\": AF_UNIX stream connection"),
                read(stderr));
    }

    @Test
    void startedPlainlyItBindsListenAndStillNotifies() throws Exception {
        Path socket = dir.resolve("own.sock");
        Path stderr = dir.resolve("stderr");
        try (NotifyReceiver notify = NotifyReceiver.atPath(dir.resolve("notify"))) {
            Process p = start(notify, stderr, launcher(), "--listen=" + socket);
            notify.awaitExactly("READY=1", WAIT);
            assertEquals(List.of("STATUS=echoing on " + socket, "READY=1"), notify.seen(), read(stderr));
            try (SocketChannel client = connect(socket, p)) {
                assertEquals("plain", echo(client, "plain"));
            }
            assertTrue(read(stderr).contains("serving " + socket + " (bound by itself)"), read(stderr));
            p.destroy();
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "SIGTERM ends it");
            notify.awaitExactly("STOPPING=1", WAIT);
            assertTrue(!Files.exists(socket), "the socket it bound itself is removed at exit");
        }
    }

    /**
     * The example's resolved run-time class path (what its launcher puts on {@code -cp}: target/lib, written by
     * maven-dependency-plugin's copy-dependencies from the resolved runtime scope) holds the library and no jar
     * of the agent or its frameworks.
     */
    @Test
    void theExamplesRuntimeClassPathHasNoGuiceGsonOrAgent() throws IOException {
        Path lib = example().resolve("target/lib");
        assertTrue(Files.isDirectory(lib), lib + " is missing: build the reactor (mvn verify) first");
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("jqga-api-")), "the library itself: " + jars);
        List<String> forbidden = jars.stream().filter(j -> j.startsWith("guice-") || j.startsWith("gson-")
                || j.startsWith("jqga-agent-") || j.startsWith("javax.inject") || j.startsWith("jakarta.inject"))
                .collect(Collectors.toList());
        assertEquals(List.of(), forbidden, "the example must run without the agent's dependencies: " + jars
                + " (target/lib is what its launcher puts on -cp; after removing a dependency, mvn clean)");
    }
}
