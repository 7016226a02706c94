package org.jqga.agent.cli;

/**
 * A command-line error; qemu-ga prints the message and exits with status 1. {@link #isGetoptError()} tells a
 * malformed option (getopt's message, then qemu-ga's "Unknown option, try ..." line) from a bad value of one of
 * jqga's own options (the value and what was expected).
 */
public class UsageException extends Exception {
    private final boolean getoptError;

    public UsageException(String message) {
        this(message, true);
    }

    private UsageException(String message, boolean getoptError) {
        super(message);
        this.getoptError = getoptError;
    }

    static UsageException getopt(String message) {
        return new UsageException(message, true);
    }

    static UsageException badValue(String message) {
        return new UsageException(message, false);
    }

    public boolean isGetoptError() {
        return getoptError;
    }
}
