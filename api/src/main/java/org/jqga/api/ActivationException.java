package org.jqga.api;

/**
 * "Mine, but wrong": the process was clearly started by a supervisor this provider understands, but what it
 * was handed cannot be served. The message names the fd, variable or path, what it is and what was expected;
 * {@link #exitCode()} is the {@code sysexits.h} status the daemon should exit with.
 */
public class ActivationException extends Exception {
    private final int exitCode;

    public ActivationException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ActivationException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A {@link SysExits} value. */
    public int exitCode() {
        return exitCode;
    }
}
