package org.jqga.agent.commands.info;

import org.jqga.agent.dispatch.CommandFamily;

/**
 * Registers guest-sync, guest-sync-delimited, guest-ping and guest-info: resident in the agent's injector, because a
 * host's first request is one of them.
 */
public final class InfoCommandsModule extends CommandFamily {
    @Override
    public boolean resident() {
        return true;
    }

    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestSyncDelimited.SPEC, GuestSyncDelimited.class);
        commands.add(GuestSync.SPEC, GuestSync.class);
        commands.add(GuestPing.SPEC, GuestPing.class);
        commands.add(GuestInfo.SPEC, GuestInfo.class);
    }
}
