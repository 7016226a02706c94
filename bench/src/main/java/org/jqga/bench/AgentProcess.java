package org.jqga.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A started agent (or supervisor that execs one). stdout and stderr go to files in the run's directory: they explain
 * an agent that exits early, and under inetd-style activation stdout may be the client's socket anyway.
 */
final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final List<String> command;

    private AgentProcess(Process process, Path stderr, List<String> command) {
        this.process = process;
        this.stderr = stderr;
        this.command = command;
    }

    static AgentProcess start(Path dir, List<String> command) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve("agent.out");
        Path err = dir.resolve("agent.err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        return new AgentProcess(pb.start(), err, command);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + stderr + ": " + e.getMessage() + ")";
        }
    }

    /** Why the process is gone, for an error message: its status and the last thing it said. */
    String exitNote() {
        if (process.isAlive()) {
            return "";
        }
        String lines = lastLines(stderr(), 1);
        return " (exit status " + process.exitValue() + (lines.isEmpty() ? "" : ": " + lines) + ")";
    }

    /**
     * The last {@code count} lines that say something: not the JVM's warnings about native access, nor
     * systemd-socket-activate's own account of listening and exec'ing.
     */
    static String lastLines(String text, int count) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("WARNING: ") && !l.startsWith("Listening on ")
                        && !l.startsWith("Communication attempt on fd ") && !l.startsWith("Execing "))
                // qemu-ga's log lines start with a timestamp; without it equal failures read (and fold) as equal.
                .map(l -> l.replaceFirst("^\\d+\\.\\d+: ", ""))
                .toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** A {@code kB} figure from /proc/PID/status (VmRSS, VmHWM), in KiB. */
    OptionalLong statusKiB(String field) throws IOException {
        return ProcStatus.kib(pid(), field);
    }

    /** Makes VmHWM start again from the current RSS (see {@link ProcStatus#resetPeak}). */
    void resetPeakRss() throws IOException {
        ProcStatus.resetPeak(pid());
    }

    String command() {
        return String.join(" ", command);
    }

    /** SIGTERM, then SIGKILL if it lingers; waits for the exit either way. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Gives a dying process up to {@code seconds} to finish exiting, so its status can be reported. */
    void awaitExitQuietly(long seconds) {
        try {
            process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code seconds} for an exit the process makes on its own. */
    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }
}
