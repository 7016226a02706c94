package org.jqga.agent.cli;

/** A command-line error; qemu-ga prints the message and exits with status 1. */
public class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
