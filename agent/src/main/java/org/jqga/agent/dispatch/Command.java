package org.jqga.agent.dispatch;

/**
 * One QGA command. Commands declare their metadata in {@link #spec()} instead of being listed in a central
 * switch; they are registered with a Guice {@code Multibinder<Command<?>>}.
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
