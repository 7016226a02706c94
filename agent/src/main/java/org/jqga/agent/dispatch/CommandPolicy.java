package org.jqga.agent.dispatch;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which commands are enabled right now, by qemu-ga's rule: an allow list (if any) admits, the block list
 * removes, and while filesystems are frozen only {@link QgaSchema#FROZEN_SAFE}-style commands stay enabled,
 * whatever the lists say. Names are compared exactly, so odd spellings cannot slip through.
 */
public final class CommandPolicy {
    private final Set<String> allow;
    private final Set<String> block;
    private final BooleanSupplier frozen;

    /**
     * @param allow  the allow list; empty means "everything"
     * @param block  the block list
     * @param frozen whether filesystems are frozen now
     */
    public CommandPolicy(Set<String> allow, Set<String> block, BooleanSupplier frozen) {
        this.allow = Set.copyOf(allow);
        this.block = Set.copyOf(block);
        this.frozen = frozen;
    }

    public boolean enabled(CommandSpec<?> spec) {
        if (frozen.getAsBoolean()) {
            return spec.allowedWhileFrozen();
        }
        boolean allowed = allow.isEmpty() || allow.contains(spec.name());
        return allowed && !block.contains(spec.name());
    }
}
