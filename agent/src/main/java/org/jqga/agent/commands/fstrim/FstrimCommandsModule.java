package org.jqga.agent.commands.fstrim;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-fstrim. */
public final class FstrimCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestFstrim.SPEC, GuestFstrim.class);
    }
}
