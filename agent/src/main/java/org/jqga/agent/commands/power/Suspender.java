package org.jqga.agent.commands.power;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;
import org.jqga.agent.linux.ProgramOutcome;
import org.jqga.agent.linux.ProgramRunner;

/**
 * Suspends the guest with qemu-ga's strategies, in its order, each checked for support before it is used and the
 * next tried when it fails: systemd ({@code systemctl status <unit>} exits 1 to 3 when the unit exists, then
 * {@code systemctl <verb>}), pm-utils ({@code pm-is-supported <option>}, then {@code pm-<mode>}), and for disk and
 * ram the kernel's {@code /sys/power/state}. Programs are looked up on {@code PATH}; their output is not kept.
 */
final class Suspender {
    static final String SYS_POWER_STATE = "/sys/power/state";
    private static final Logger LOG = Logger.getLogger(Suspender.class.getName());
    private static final char LEFT_QUOTE = (char) 0x201C;
    private static final char RIGHT_QUOTE = (char) 0x201D;
    /** qemu-ga reads this much of /sys/power/state. */
    private static final int STATE_READ_LIMIT = 31;
    private static final int NOT_FOUND = -1;

    private final ProgramRunner runner;
    private final HostPaths paths;
    private final Errno errno;

    @Inject
    Suspender(ProgramRunner runner, HostPaths paths, Errno errno) {
        this.runner = runner;
        this.paths = paths;
        this.errno = errno;
    }

    void suspend(SuspendMode mode) throws CommandException, InterruptedException {
        boolean supported = false;
        CommandException failure = null;
        if (systemdSupports(mode)) {
            supported = true;
            try {
                helper(List.of("systemctl", mode.systemctlVerb), "systemctl " + mode.systemctlVerb);
                return;
            } catch (CommandException e) {
                failure = e;
                LOG.fine(() -> "suspend through systemd failed: " + e.getMessage());
            }
        }
        if (status(List.of("pm-is-supported", mode.pmIsSupportedOption)) == 0) {
            supported = true;
            try {
                helper(List.of(mode.pmProgram), mode.pmProgram);
                return;
            } catch (CommandException e) {
                failure = e;
                LOG.fine(() -> "suspend through pm-utils failed: " + e.getMessage());
            }
        }
        if (mode.sysPowerState != null && kernelSupports(mode.sysPowerState)) {
            supported = true;
            try {
                writePowerState(mode.sysPowerState);
                return;
            } catch (CommandException e) {
                failure = e;
            }
        }
        if (!supported) {
            throw new CommandException("the requested suspend mode is not supported by the guest");
        }
        // qemu-ga reports only a failure of the last strategy and answers nothing when an earlier supported one
        // failed; a failed suspend must not look like a successful one, so the last failure is reported.
        throw failure;
    }

    private boolean systemdSupports(SuspendMode mode) throws InterruptedException {
        // systemctl status follows the LSB codes: 1 to 3 are states of an existing unit, 4 is "no such unit".
        int status = status(List.of("systemctl", "status", mode.systemdUnit));
        return status > 0 && status < 4;
    }

    /** The exit status, or {@link #NOT_FOUND} when the program is not on PATH or cannot be started. */
    private int status(List<String> argv) throws InterruptedException {
        try {
            return exitStatus(argv);
        } catch (CommandException e) {
            return NOT_FOUND;
        }
    }

    private void helper(List<String> argv, String name) throws CommandException, InterruptedException {
        int status = exitStatus(argv);
        if (status == NOT_FOUND) {
            throw new CommandException("the helper program '" + name + "' was not found");
        }
        if (status != 0) {
            throw new CommandException("the helper program '" + name + "' returned an unexpected exit status code ("
                    + status + ")");
        }
    }

    private int exitStatus(List<String> argv) throws CommandException, InterruptedException {
        ProgramOutcome outcome = runner.run(argv);
        if (outcome instanceof ProgramOutcome.Exited e) {
            return e.status();
        }
        if (outcome instanceof ProgramOutcome.Signaled) {
            // qemu-ga reads WEXITSTATUS() of the wait status, which is 0 for a helper killed by a signal.
            return 0;
        }
        ProgramOutcome.NotStarted n = (ProgramOutcome.NotStarted) outcome;
        if (n.errno() == Errno.ENOENT) {
            return NOT_FOUND;
        }
        throw new CommandException("failed to create child process, error 'Failed to execute child process "
                + LEFT_QUOTE + argv.get(0) + RIGHT_QUOTE + " (" + n.reason() + ")'");
    }

    private boolean kernelSupports(String word) {
        try (FileChannel ch = FileChannel.open(paths.resolve(SYS_POWER_STATE), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(STATE_READ_LIMIT);
            int n = ch.read(buf, 0);
            return n > 0 && new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1).contains(word);
        } catch (IOException e) {
            return false;
        }
    }

    private void writePowerState(String word) throws CommandException {
        try (FileChannel ch = FileChannel.open(paths.resolve(SYS_POWER_STATE), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(word.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new CommandException("suspend: cannot write to '" + SYS_POWER_STATE + "': " + errno.text(e));
        }
    }
}
