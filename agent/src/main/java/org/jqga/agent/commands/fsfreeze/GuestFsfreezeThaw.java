package org.jqga.agent.commands.fsfreeze;

import com.google.inject.Inject;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.Interrupts;

/** Thaws every frozen filesystem; returns how many were thawed. Allowed while frozen, obviously. */
final class GuestFsfreezeThaw implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-fsfreeze-thaw", NoArguments.class).frozenSafe();

    private final FilesystemFreezer freezer;

    @Inject
    GuestFsfreezeThaw(FilesystemFreezer freezer) {
        this.freezer = freezer;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        return Interrupts.call(freezer::thaw, "thawing filesystems");
    }
}
