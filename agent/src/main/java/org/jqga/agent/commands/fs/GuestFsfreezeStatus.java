package org.jqga.agent.commands.fs;

import com.google.inject.Inject;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.state.FrozenState;

/** {@code "frozen"} while the agent holds filesystems frozen, else {@code "thawed"}: the agent's flag, not the kernel's. */
final class GuestFsfreezeStatus implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-fsfreeze-status", NoArguments.class).frozenSafe();

    private final FrozenState frozen;

    @Inject
    GuestFsfreezeStatus(FrozenState frozen) {
        this.frozen = frozen;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) {
        return new com.google.gson.JsonPrimitive(frozen.isFrozen() ? "frozen" : "thawed");
    }
}
