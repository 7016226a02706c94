package org.jqga.agent.dispatch;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registered commands, in qemu-ga's schema order. A command is known by its declared spec from the start and
 * made on its first call: its family's injector (a child of the agent's) is created then, once per family, unless
 * the family is {@linkplain CommandFamily#resident() resident} in the agent's injector.
 */
public final class CommandRegistry {
    private final Map<String, Entry<?>> byName;

    /** One command: its spec now, its instance on first use. Thread-safe. */
    public static final class Entry<A extends Record> {
        private final CommandSpec<A> spec;
        private final Function<Class<? extends Command<A>>, Command<A>> maker;
        private final Class<? extends Command<A>> type;
        private volatile Command<A> instance;

        private Entry(CommandSpec<A> spec, Class<? extends Command<A>> type,
                      Function<Class<? extends Command<A>>, Command<A>> maker) {
            this.spec = spec;
            this.type = type;
            this.maker = maker;
        }

        private Entry(Command<A> instance) {
            this(instance.spec(), null, null);
            this.instance = instance;
        }

        public CommandSpec<A> spec() {
            return spec;
        }

        /** Whether the command has been instantiated (by a call, or by {@link #command()}). */
        public boolean instantiated() {
            return instance != null;
        }

        /** The command, made now if this is its first use. */
        public Command<A> command() {
            Command<A> c = instance;
            if (c == null) {
                synchronized (this) {
                    c = instance;
                    if (c == null) {
                        c = maker.apply(type);
                        // Identity first: a command returns the very spec it declared, and a record's equals is an
                        // invokedynamic whose first call spins method-handle classes on the way to the first reply.
                        if (c.spec() != spec && !c.spec().equals(spec)) {
                            throw new IllegalStateException(type.getName() + " declares " + spec
                                    + " but its instance says " + c.spec());
                        }
                        instance = c;
                    }
                }
            }
            return c;
        }
    }

    /** The commands of {@code families}; each family's injector will be a child of {@code agent}. */
    public CommandRegistry(List<CommandFamily> families, Injector agent) {
        this(entries(families, new FamilyInjectors(agent)));
    }

    private CommandRegistry(List<Entry<?>> entries) {
        List<Entry<?>> sorted = new ArrayList<>(entries);
        // Written out rather than Comparator.comparingInt(...).thenComparing(...), whose lambdas inside
        // java.util.Comparator JDK 25's AOT cache does not keep (see Activations).
        sorted.sort((a, b) -> {
            int byPosition = Integer.compare(QgaSchema.position(a.spec().name()), QgaSchema.position(b.spec().name()));
            return byPosition != 0 ? byPosition : a.spec().name().compareTo(b.spec().name());
        });
        Map<String, Entry<?>> map = new LinkedHashMap<>();
        for (Entry<?> e : sorted) {
            if (map.put(e.spec().name(), e) != null) {
                throw new IllegalStateException("command " + e.spec().name() + " is registered twice");
            }
        }
        this.byName = map;
    }

    /** A registry of commands already made, for tests that hand-wire a few commands. */
    public static CommandRegistry of(Command<?>... commands) {
        List<Entry<?>> entries = new ArrayList<>();
        for (Command<?> c : commands) {
            entries.add(new Entry<>(c));
        }
        return new CommandRegistry(entries);
    }

    /** The names the families declare, in schema order, without making anything (for {@code --block-rpcs=help}). */
    public static List<String> declaredNames(List<CommandFamily> families) {
        return new CommandRegistry(entries(families, null)).names();
    }

    public Optional<Entry<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** In schema (registration) order. */
    public List<Entry<?>> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private static List<Entry<?>> entries(List<CommandFamily> families, FamilyInjectors injectors) {
        List<Entry<?>> entries = new ArrayList<>();
        for (CommandFamily f : families) {
            for (CommandFamily.Declared<?> d : f.declared()) {
                entries.add(entry(d, f, injectors));
            }
        }
        return entries;
    }

    private static <A extends Record> Entry<A> entry(CommandFamily.Declared<A> d, CommandFamily family,
                                                     FamilyInjectors injectors) {
        return new Entry<>(d.spec(), d.type(), type -> {
            if (injectors == null) {
                throw new IllegalStateException("a registry of declared names makes no commands");
            }
            return injectors.of(family).getInstance(type);
        });
    }

    /** Each family's injector, created on the first call of one of its commands. */
    private static final class FamilyInjectors {
        private final Injector agent;
        private final Map<CommandFamily, Injector> made = new HashMap<>();

        FamilyInjectors(Injector agent) {
            this.agent = agent;
        }

        synchronized Injector of(CommandFamily family) {
            if (family.resident()) {
                return agent; // the agent's module installed it
            }
            return made.computeIfAbsent(family, agent::createChildInjector);
        }
    }
}
