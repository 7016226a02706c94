package org.jqga.agent.commands.info;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-sync, guest-sync-delimited, guest-ping and guest-info. */
public final class InfoCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestSyncDelimited.SPEC, GuestSyncDelimited.class);
        commands.add(GuestSync.SPEC, GuestSync.class);
        commands.add(GuestPing.SPEC, GuestPing.class);
        commands.add(GuestInfo.SPEC, GuestInfo.class);
    }
}
