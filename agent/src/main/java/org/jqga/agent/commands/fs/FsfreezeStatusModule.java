package org.jqga.agent.commands.fs;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-fsfreeze-status. */
public final class FsfreezeStatusModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestFsfreezeStatus.SPEC, GuestFsfreezeStatus.class);
    }
}
