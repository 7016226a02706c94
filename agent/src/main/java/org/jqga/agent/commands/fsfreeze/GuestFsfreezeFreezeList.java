package org.jqga.agent.commands.fsfreeze;

import com.google.inject.Inject;
import java.util.Optional;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.linux.Interrupts;

/**
 * Freezes the listed mount points (all when the list is absent); returns how many filesystems were frozen. A name
 * that is not a mount point is skipped, as in qemu-ga, so the count tells the client what was done.
 */
final class GuestFsfreezeFreezeList implements Command<FreezeListArguments> {
    static final CommandSpec<FreezeListArguments> SPEC =
            CommandSpec.of("guest-fsfreeze-freeze-list", FreezeListArguments.class);

    private final FilesystemFreezer freezer;

    @Inject
    GuestFsfreezeFreezeList(FilesystemFreezer freezer) {
        this.freezer = freezer;
    }

    @Override
    public CommandSpec<FreezeListArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(FreezeListArguments arguments) throws CommandException {
        return Interrupts.call(() -> freezer.freeze(Optional.ofNullable(arguments.mountpoints())),
                "freezing filesystems");
    }
}
