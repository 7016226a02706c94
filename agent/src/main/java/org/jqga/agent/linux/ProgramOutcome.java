package org.jqga.agent.linux;

/** How a {@link ProgramRunner} run ended. */
public sealed interface ProgramOutcome {
    /** The program ran and exited with {@code status}; {@code output} is what it wrote to stdout and stderr. */
    record Exited(int status, String output) implements ProgramOutcome {
    }

    /** The program was killed by {@code signal}; {@code output} is what it wrote before. */
    record Signaled(int signal, String output) implements ProgramOutcome {
    }

    /** The program could not be started: {@code errno} and its {@code strerror} text (ENOENT: not found). */
    record NotStarted(int errno, String reason) implements ProgramOutcome {
    }
}
