package org.jqga.agent.cli;

/** The config file cannot be used; qemu-ga logs the message as critical and exits with status 1. */
public class ConfigFileException extends Exception {
    public ConfigFileException(String message) {
        super(message);
    }
}
