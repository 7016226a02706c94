package org.jqga.agent.dispatch;

/** The argument record of a command that takes none: any member in {@code arguments} is unexpected. */
public record NoArguments() {
}
