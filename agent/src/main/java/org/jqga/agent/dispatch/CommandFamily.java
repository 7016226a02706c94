package org.jqga.agent.dispatch;

import com.google.inject.AbstractModule;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands that belong together and share helpers, e.g. the guest-file-* commands and their handle table.
 *
 * <p>A family declares each command by its static spec and the class that implements it; nothing is instantiated
 * for that. The family's bindings are made only when one of its commands is first called, in an injector of its own
 * (a child of the agent's), so that a socket-activated agent answering a ping pays neither for the other commands
 * nor for the libraries they use:
 *
 * <pre>{@code
 * public final class FileCommandsModule extends CommandFamily {
 *     protected void declare(Declarations commands) {
 *         commands.add(FileCommands.Open.SPEC, FileCommands.Open.class);
 *     }
 *     protected void bindShared() {
 *         bind(FileHandles.class).in(Singleton.class);
 *     }
 * }
 * }</pre>
 */
public abstract class CommandFamily extends AbstractModule {
    private List<Declared<?>> declared;

    /** A command as its family declares it: the spec, and the class the family's injector makes on first use. */
    public record Declared<A extends Record>(CommandSpec<A> spec, Class<? extends Command<A>> type) {
    }

    /** Where a family lists its commands. */
    public static final class Declarations {
        private final List<Declared<?>> list = new ArrayList<>();

        private Declarations() {
        }

        public <A extends Record> void add(CommandSpec<A> spec, Class<? extends Command<A>> type) {
            list.add(new Declared<>(spec, type));
        }
    }

    /** Lists this family's commands with {@link Declarations#add}. */
    protected abstract void declare(Declarations commands);

    /**
     * Whether the family is bound in the agent's injector from the start rather than in a child injector made at its
     * first call: for the commands a host's session begins with ({@code guest-sync-delimited}, {@code guest-ping}),
     * whose own injector would otherwise be made on the way to the first reply (5-10 ms, all of it cold code).
     * Such a family must bind nothing that costs at start-up; its commands are still made on first use.
     */
    public boolean resident() {
        return false;
    }

    /** Binds what the family's commands share (helpers, seams); the commands themselves are bound already. */
    protected void bindShared() {
    }

    /** The declared commands, in declaration order. */
    public final synchronized List<Declared<?>> declared() {
        if (declared == null) {
            Declarations d = new Declarations();
            declare(d);
            declared = List.copyOf(d.list);
        }
        return declared;
    }

    @Override
    protected final void configure() {
        for (Declared<?> d : declared()) {
            bind(d.type());
        }
        bindShared();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
