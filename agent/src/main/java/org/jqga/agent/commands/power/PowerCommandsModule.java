package org.jqga.agent.commands.power;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-shutdown, guest-suspend-disk, guest-suspend-ram and guest-suspend-hybrid. */
public final class PowerCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestShutdown.SPEC, GuestShutdown.class);
        commands.add(GuestSuspend.Disk.SPEC, GuestSuspend.Disk.class);
        commands.add(GuestSuspend.Ram.SPEC, GuestSuspend.Ram.class);
        commands.add(GuestSuspend.Hybrid.SPEC, GuestSuspend.Hybrid.class);
    }

    @Override
    protected void bindShared() {
        bind(Suspender.class);
    }
}
