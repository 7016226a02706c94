package org.jqga.agent.commands.password;

import com.google.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.linux.NativeProgramRunner;

/**
 * Runs {@code chpasswd} (or {@code chpasswd -e} for a crypted password) as qemu-ga does: found in PATH, in a new
 * session, {@code USER:PASSWORD\n} on stdin, stdout and stderr collected together for the error text. The password
 * only ever travels through the pipe: it is not on the command line, not in the environment and not logged.
 */
final class Chpasswd implements PasswordChanger {
    private static final String ACTION = "set user password";
    private static final String PROGRAM = "chpasswd";

    private final Libc libc;
    private final Map<String, String> environment;

    @Inject
    Chpasswd(Libc libc) {
        this(libc, System.getenv());
    }

    Chpasswd(Libc libc, Map<String, String> environment) {
        this.libc = libc;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void change(String username, byte[] password, boolean crypted) throws CommandException {
        byte[] user = (username + ":").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[user.length + password.length + 1];
        System.arraycopy(user, 0, input, 0, user.length);
        System.arraycopy(password, 0, input, user.length, password.length);
        input[input.length - 1] = '\n';
        try {
            run(crypted ? List.of(PROGRAM, "-e") : List.of(PROGRAM), input);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    private void run(List<String> argv, byte[] input) throws CommandException {
        String executable = NativeProgramRunner.find(argv.get(0),
                environment.getOrDefault("PATH", NativeProgramRunner.DEFAULT_PATH), libc).orElse(null);
        if (executable == null) {
            throw new CommandException("child process has failed to " + ACTION + ": failed to exec '" + argv.get(0)
                    + "': " + libc.strerror(Libc.ENOENT));
        }
        int[] in = null;
        int[] out = null;
        int pid;
        try {
            in = libc.pipe();
            out = libc.pipe();
            pid = libc.spawn(executable, argv, NativeProgramRunner.childEnvironment(environment), in[0], out[1],
                    Libc.SAME_AS_STDOUT, true);
        } catch (ErrnoException e) {
            closeQuietly(in);
            closeQuietly(out);
            throw new CommandException("child process has failed to " + ACTION + ": failed to exec '" + argv.get(0)
                    + "': " + e.getMessage());
        }
        closeQuietly(in[0]);
        closeQuietly(out[1]);
        String writeFailure = null;
        try {
            int done = 0;
            while (done < input.length) {
                done += libc.write(in[1], input, done, input.length - done);
            }
        } catch (ErrnoException e) {
            writeFailure = ACTION + ": cannot write to stdin pipe: " + e.getMessage();
        } finally {
            closeQuietly(in[1]);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = libc.read(out[0], buf, 0, buf.length)) > 0) {
                output.write(buf, 0, n);
            }
        } catch (ErrnoException e) {
            writeFailure = writeFailure != null ? writeFailure
                    : ACTION + ": cannot read from stdout/stderr pipe: " + e.getMessage();
        } finally {
            closeQuietly(out[0]);
        }
        int status;
        try {
            status = libc.waitpid(pid);
        } catch (ErrnoException e) {
            throw new CommandException("failed to wait for child (pid: " + pid + "): " + e.getMessage());
        }
        if (writeFailure != null) {
            throw new CommandException(writeFailure);
        }
        String text = output.toString(StandardCharsets.UTF_8);
        if ((status & 0x7f) != 0) {
            throw new CommandException("child process has terminated abnormally" + (text.isEmpty() ? "" : ": " + text));
        }
        int exit = (status >> 8) & 0xff;
        if (exit != 0) {
            throw new CommandException("child process has failed to " + ACTION + ": "
                    + (text.isEmpty() ? "exit status " + exit : text));
        }
    }

    private void closeQuietly(int[] fds) {
        if (fds != null) {
            closeQuietly(fds[0]);
            closeQuietly(fds[1]);
        }
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (ErrnoException e) {
            // nothing to do about it here; the descriptor is gone either way on Linux
        }
    }
}
