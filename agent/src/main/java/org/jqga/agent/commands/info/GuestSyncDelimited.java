package org.jqga.agent.commands.info;

import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;

/**
 * Like {@code guest-sync}, but the response is preceded by 0xFF: a client that resets its own parser on 0xFF
 * can then skip whatever stale bytes were in the channel before it.
 */
final class GuestSyncDelimited implements Command<SyncArguments> {
    static final CommandSpec<SyncArguments> SPEC =
            CommandSpec.of("guest-sync-delimited", SyncArguments.class).frozenSafe().delimited();

    @Override
    public CommandSpec<SyncArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(SyncArguments arguments) {
        return arguments.id();
    }
}
