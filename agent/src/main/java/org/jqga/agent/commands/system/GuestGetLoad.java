package org.jqga.agent.commands.system;

import com.google.inject.Inject;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/** The 1, 5 and 15 minute load averages, from {@code /proc/loadavg} as glibc's {@code getloadavg} reads them. */
final class GuestGetLoad implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-load", NoArguments.class);
    static final String LOADAVG = "/proc/loadavg";

    /** {@code GuestLoadAverage}. */
    record LoadAverage(double load1m, double load5m, double load15m) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetLoad(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        String text;
        try {
            text = root.read(LOADAVG);
        } catch (FileFailure e) {
            throw new CommandException("cannot query load average: " + e.strerror());
        }
        String[] f = text.trim().split("\\s+");
        double[] load = new double[3];
        try {
            for (int i = 0; i < 3; i++) {
                load[i] = Double.parseDouble(f[i]);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // glibc reports a malformed file as EINVAL.
            throw new CommandException("cannot query load average: Invalid argument");
        }
        return new LoadAverage(load[0], load[1], load[2]);
    }
}
