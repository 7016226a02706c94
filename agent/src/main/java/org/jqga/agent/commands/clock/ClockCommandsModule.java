package org.jqga.agent.commands.clock;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-set-time. */
public final class ClockCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestSetTime.SPEC, GuestSetTime.class);
    }
}
