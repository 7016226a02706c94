package org.jqga.agent.commands.clock;

import com.google.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;
import org.jqga.agent.linux.Interrupts;
import org.jqga.agent.linux.ProgramRunner;
import org.jqga.agent.linux.RunCommand;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * With {@code time}: checks it (the local calendar year must be in 1970..2069), sets the system clock with
 * {@code settimeofday}, then copies it to the hardware clock with {@code /sbin/hwclock -w}. Without: sets the
 * system clock from the hardware clock with {@code /sbin/hwclock -s}. As qemu-ga does; answers {@code {}}.
 */
final class GuestSetTime implements Command<SetTimeArguments> {
    static final CommandSpec<SetTimeArguments> SPEC =
            CommandSpec.of("guest-set-time", SetTimeArguments.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Posix posix;
    private final Errno errno;
    private final ProgramRunner runner;
    private final HostPaths paths;

    @Inject
    GuestSetTime(Posix posix, Errno errno, ProgramRunner runner, HostPaths paths) {
        this.posix = posix;
        this.errno = errno;
        this.runner = runner;
        this.paths = paths;
    }

    @Override
    public CommandSpec<SetTimeArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(SetTimeArguments arguments) throws CommandException {
        Long time = arguments.time();
        if (time != null) {
            long seconds = time / NANOS_PER_SECOND;
            long micros = (time % NANOS_PER_SECOND) / 1000;
            int year = Instant.ofEpochSecond(seconds).atZone(ZoneId.systemDefault()).getYear();
            if (year < 1970 || year >= 2070) {
                // qemu-ga calls error_setg_errno(errp, errno, "Invalid time") with errno 0 here, and QEMU's
                // error_setg_errno appends ": strerror" only for a non-zero errno (the real qemu-ga agrees).
                throw new CommandException("Invalid time");
            }
            try {
                posix.setTimeOfDay(seconds, micros);
            } catch (PosixException e) {
                throw new CommandException("Failed to set time to guest: " + errno.text(e.errno()));
            }
        }
        List<String> argv = List.of(paths.resolve("/sbin/hwclock").toString(), time != null ? "-w" : "-s");
        return Interrupts.call(() -> {
            RunCommand.runOrFail(runner, argv, "set hardware clock to system time");
            return null;
        }, "waiting for hwclock");
    }
}
