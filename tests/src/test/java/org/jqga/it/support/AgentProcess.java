package org.jqga.it.support;

import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The agent as a real process: {@code java -cp <the agent's runtime class path> org.jqga.agent.Main ARGS},
 * optionally behind a supervisor command ({@code systemd-socket-activate -l ...}). stdout and stderr go to files
 * in the test's directory so a failing test can show them.
 */
public final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private AgentProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The agent's runtime class path, as Maven resolved it for this module. */
    public static String classPath() {
        String cp = System.getProperty("jqga.agent.classpath");
        if (cp == null || cp.isBlank()) {
            throw new IllegalStateException("system property jqga.agent.classpath is not set: run through Maven");
        }
        return cp;
    }

    /** The class path without the jars whose file names contain {@code fragment}, e.g. {@code transport-vsock}. */
    public static String classPathWithout(String fragment) {
        return Arrays.stream(classPath().split(File.pathSeparator)).filter(e -> !e.contains(fragment))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The command line that runs the agent's main class with {@code classPath}. */
    public static List<String> agentCommand(String classPath, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djqga.program=jqga");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("org.jqga.agent.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The repository root (for the launcher script and contrib files). */
    public static Path repository() {
        return Path.of(System.getProperty("jqga.repo", "..")).toAbsolutePath().normalize();
    }

    /** Runs {@code command} with a pseudo-terminal on fds 0, 1 and 2 (util-linux script); both streams are stdout. */
    public static AgentProcess onTerminal(Path dir, List<String> command) throws IOException {
        Path script = Tools.require("script", "bsdutils");
        String line = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .reduce((a, b) -> a + " " + b).orElseThrow();
        return start(dir, List.of(script.toString(), "-qec", line, "/dev/null"));
    }

    public static AgentProcess start(Path dir, List<String> command) throws IOException {
        return start(dir, command, Map.of());
    }

    public static AgentProcess start(Path dir, List<String> command, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "agent-", ".out");
        Path err = Files.createTempFile(dir, "agent-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        return new AgentProcess(pb.start(), out, err);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }

    /** Waits until {@code path} exists (a socket being bound), failing with the agent's output otherwise. */
    public void awaitPath(Path path, Duration timeout) throws InterruptedException {
        await(p -> Files.exists(path), "socket " + path, timeout);
    }

    /**
     * Waits until a client can connect to the unix socket at {@code path}. The file alone proves nothing: a stale
     * socket from an earlier run exists before the agent has replaced it.
     */
    public void awaitListening(Path path, Duration timeout) throws InterruptedException {
        await(p -> {
            try (SocketChannel probe = SocketChannel.open(
                    UnixDomainSocketAddress.of(path))) {
                return probe.isConnected();
            } catch (IOException e) {
                return false;
            }
        }, "a listener on " + path, timeout);
    }

    /** Waits until stderr contains {@code text}. */
    public void awaitStderr(String text, Duration timeout) throws InterruptedException {
        await(p -> p.stderr().contains(text), "'" + text + "' on stderr", timeout);
    }

    private void await(Predicate<AgentProcess> condition, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(this)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the agent exited with status " + process.exitValue() + " before " + what
                        + " appeared" + describe());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + describe());
    }

    /** Waits for the process to exit on its own and returns its status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the agent did not exit within " + timeout + describe());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and returns the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    public String describe() {
        return "\n--- agent stdout ---\n" + stdout() + "\n--- agent stderr ---\n" + stderr();
    }

    @Override
    public void close() {
        // The agent may run below a wrapper (sh, a supervisor): take its descendants down too, so that no agent
        // outlives the test that started it.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
