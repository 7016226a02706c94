package org.jqga.agent.dispatch;

import java.util.Objects;

/**
 * What the dispatcher needs to know about a command before running it.
 *
 * @param name               the wire name, e.g. {@code guest-ping}
 * @param arguments          the argument record ({@link NoArguments} for none)
 * @param successResponse    {@code false} for commands that answer only on failure (shutdown, suspend)
 * @param allowedWhileFrozen whether the command stays enabled while filesystems are frozen
 * @param delimitedResponse  whether a successful response is preceded by the 0xFF byte
 */
public record CommandSpec<A extends Record>(String name, Class<A> arguments, boolean successResponse,
                                            boolean allowedWhileFrozen, boolean delimitedResponse) {
    public CommandSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }

    /** An ordinary command: answers on success, disabled while frozen. */
    public static <A extends Record> CommandSpec<A> of(String name, Class<A> arguments) {
        return new CommandSpec<>(name, arguments, true, false, false);
    }

    public CommandSpec<A> frozenSafe() {
        return new CommandSpec<>(name, arguments, successResponse, true, delimitedResponse);
    }

    public CommandSpec<A> withoutSuccessResponse() {
        return new CommandSpec<>(name, arguments, false, allowedWhileFrozen, delimitedResponse);
    }

    public CommandSpec<A> delimited() {
        return new CommandSpec<>(name, arguments, successResponse, allowedWhileFrozen, true);
    }
}
