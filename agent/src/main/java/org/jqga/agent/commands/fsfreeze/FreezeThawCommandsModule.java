package org.jqga.agent.commands.fsfreeze;

import org.jqga.agent.dispatch.CommandFamily;

/**
 * Registers guest-fsfreeze-freeze, guest-fsfreeze-freeze-list and guest-fsfreeze-thaw. The {@link FilesystemFreezer}
 * they share is the agent's (bound in the agent's injector), because the agent thaws through it on exit too.
 */
public final class FreezeThawCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestFsfreezeFreeze.SPEC, GuestFsfreezeFreeze.class);
        commands.add(GuestFsfreezeFreezeList.SPEC, GuestFsfreezeFreezeList.class);
        commands.add(GuestFsfreezeThaw.SPEC, GuestFsfreezeThaw.class);
    }
}
