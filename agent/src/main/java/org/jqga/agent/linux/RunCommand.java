package org.jqga.agent.linux;

import java.util.List;
import org.jqga.agent.dispatch.CommandException;

/**
 * qemu-ga's {@code ga_run_command}: run a program and turn anything but exit status 0 into
 * {@code child process has failed to ACTION: OUTPUT} (or {@code ...: exit status N} when it printed nothing).
 * A program that cannot be started fails the way qemu-ga's forked child does, by printing
 * {@code failed to exec 'PROGRAM': REASON} and exiting with status 1.
 */
public final class RunCommand {
    private RunCommand() {
    }

    /**
     * @param action what the program is for, as qemu-ga words it: {@code shutdown},
     *               {@code set hardware clock to system time}, {@code execute fsfreeze hook}
     */
    public static void runOrFail(ProgramRunner runner, List<String> argv, String action)
            throws CommandException, InterruptedException {
        ProgramOutcome outcome = runner.run(argv);
        int status;
        String output;
        if (outcome instanceof ProgramOutcome.NotStarted n) {
            status = 1;
            output = "failed to exec '" + argv.get(0) + "': " + n.reason() + "\n";
        } else if (outcome instanceof ProgramOutcome.Signaled) {
            // qemu-ga's ga_run_command: !WIFEXITED(status), without the output.
            throw new CommandException("child process has terminated abnormally");
        } else {
            ProgramOutcome.Exited e = (ProgramOutcome.Exited) outcome;
            status = e.status();
            output = e.output();
        }
        if (status != 0) {
            throw new CommandException("child process has failed to " + action + ": "
                    + (output.isEmpty() ? "exit status " + status : output));
        }
    }
}
