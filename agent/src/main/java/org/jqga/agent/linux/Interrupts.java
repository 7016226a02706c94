package org.jqga.agent.linux;

import org.jqga.agent.dispatch.CommandException;

/** Runs a step that waits for a child process; an interrupt (the agent stopping) becomes a command failure. */
public final class Interrupts {
    /** A step that may wait for a child process. */
    public interface Step<T> {
        T run() throws CommandException, InterruptedException;
    }

    private Interrupts() {
    }

    public static <T> T call(Step<T> step, String what) throws CommandException {
        try {
            return step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while " + what);
        }
    }
}
