package org.jqga.agent.dispatch;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registered commands, in qemu-ga's schema order. */
public final class CommandRegistry {
    private final Map<String, Command<?>> byName;

    @Inject
    public CommandRegistry(Set<Command<?>> commands) {
        List<Command<?>> sorted = new ArrayList<>(commands);
        sorted.sort(Comparator.<Command<?>>comparingInt(c -> QgaSchema.position(c.spec().name()))
                .thenComparing(c -> c.spec().name()));
        Map<String, Command<?>> map = new LinkedHashMap<>();
        for (Command<?> c : sorted) {
            if (map.put(c.spec().name(), c) != null) {
                throw new IllegalStateException("command " + c.spec().name() + " is registered twice");
            }
        }
        this.byName = map;
    }

    public Optional<Command<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** In schema (registration) order. */
    public List<Command<?>> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
