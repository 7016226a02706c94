package org.jqga.agent.linux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the helper programs qemu-ga runs (shutdown, hwclock, the fsfreeze hook, the suspend helpers) the way qemu-ga
 * does: in a session of their own ({@code setsid}), stdin from {@code /dev/null}, stdout and stderr collected
 * together, and the raw wait status kept, so that a helper killed by a signal is told from one that exited with
 * {@code 128+N} ({@link ProcessBuilder} folds the two together). The activation's variables ({@code LISTEN_*},
 * {@code WATCHDOG_*}, {@code NOTIFY_SOCKET}) describe this process, not the child, and are left out of its
 * environment.
 */
public final class NativeProgramRunner implements ProgramRunner {
    private final Libc libc;
    private final List<String> environment;
    private final String path;

    public NativeProgramRunner(Libc libc, Map<String, String> environment) {
        this.libc = libc;
        this.environment = childEnvironment(environment);
        this.path = environment.getOrDefault("PATH", DEFAULT_PATH);
    }

    /** execvp's search path when PATH is unset. */
    public static final String DEFAULT_PATH = "/bin:/usr/bin";

    /** {@code NAME=value} for every variable but the activation's. */
    public static List<String> childEnvironment(Map<String, String> environment) {
        List<String> env = new ArrayList<>();
        environment.forEach((k, v) -> {
            if (!k.startsWith("LISTEN_") && !k.startsWith("WATCHDOG_") && !k.equals("NOTIFY_SOCKET")) {
                env.add(k + "=" + v);
            }
        });
        return List.copyOf(env);
    }

    /** execvp's lookup: a name with a slash is used as it is, any other is searched for on {@code searchPath}. */
    public static Optional<String> find(String program, String searchPath, Libc libc) {
        if (program.contains("/")) {
            return Optional.of(program);
        }
        for (String dir : searchPath.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && libc.isExecutable(candidate.toString())) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public ProgramOutcome run(List<String> argv) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Optional<String> executable = find(argv.get(0), path, libc);
        if (executable.isEmpty()) {
            return new ProgramOutcome.NotStarted(Libc.ENOENT, libc.strerror(Libc.ENOENT));
        }
        int[] out;
        int pid;
        try {
            out = libc.pipe();
        } catch (ErrnoException e) {
            return new ProgramOutcome.NotStarted(e.errno(), e.getMessage());
        }
        try {
            pid = libc.spawn(executable.get(), argv, environment, Libc.DEV_NULL, out[1], Libc.SAME_AS_STDOUT, true);
        } catch (ErrnoException e) {
            closeQuietly(out[0]);
            closeQuietly(out[1]);
            return new ProgramOutcome.NotStarted(e.errno(), e.getMessage());
        }
        closeQuietly(out[1]);
        String output = readAll(out[0], argv.get(0));
        int status;
        try {
            status = libc.waitpid(pid);
        } catch (ErrnoException e) {
            // Only ECHILD, i.e. someone else reaped it: the outcome is unknown, which is a failure to report.
            return new ProgramOutcome.NotStarted(e.errno(), "cannot wait for " + argv.get(0) + " (pid " + pid + "): "
                    + e.getMessage());
        }
        int signal = status & 0x7f;
        return signal != 0 ? new ProgramOutcome.Signaled(signal, output)
                : new ProgramOutcome.Exited((status >> 8) & 0xff, output);
    }

    private String readAll(int fd, String program) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = libc.read(fd, buf, 0, buf.length)) > 0) {
                output.write(buf, 0, n);
            }
        } catch (ErrnoException e) {
            output.writeBytes(("(cannot read the output of " + program + ": " + e.getMessage() + ")")
                    .getBytes(StandardCharsets.UTF_8));
        } finally {
            closeQuietly(fd);
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (ErrnoException e) {
            // close(2) on Linux releases the descriptor even when it reports an error: nothing is left to undo.
        }
    }
}
