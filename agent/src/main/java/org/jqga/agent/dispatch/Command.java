package org.jqga.agent.dispatch;

/**
 * One QGA command. Its family declares it by its static spec (see {@link CommandFamily}), so that it is listed
 * and gated without being made; {@link #spec()} returns that same spec (the registry checks it when it makes the
 * command on its first call).
 *
 * @param <A> the argument record; its components, in declaration order, are the schema's members
 */
public interface Command<A extends Record> {
    CommandSpec<A> spec();

    /**
     * Runs the command. The result is serialized with Gson ({@code null} fields omitted); {@code null} means the
     * empty object {@code {}}; a {@link com.google.gson.JsonElement} is sent as is.
     */
    Object execute(A arguments) throws CommandException;
}
