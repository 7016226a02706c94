package org.jqga.agent.commands.fsfreeze;

import com.google.inject.Inject;
import java.util.Optional;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.Interrupts;

/** Freezes every local filesystem; returns how many were frozen. */
final class GuestFsfreezeFreeze implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-fsfreeze-freeze", NoArguments.class);

    private final FilesystemFreezer freezer;

    @Inject
    GuestFsfreezeFreeze(FilesystemFreezer freezer) {
        this.freezer = freezer;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        return Interrupts.call(() -> freezer.freeze(Optional.empty()), "freezing filesystems");
    }
}
