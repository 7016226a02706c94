package org.jqga.agent.commands.info;

import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;

/** Echoes the client's id so it can tell this response from stale ones. */
final class GuestSync implements Command<SyncArguments> {
    static final CommandSpec<SyncArguments> SPEC =
            CommandSpec.of("guest-sync", SyncArguments.class).frozenSafe();

    @Override
    public CommandSpec<SyncArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(SyncArguments arguments) {
        return arguments.id();
    }
}
