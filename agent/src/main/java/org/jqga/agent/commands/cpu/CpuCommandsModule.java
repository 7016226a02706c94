package org.jqga.agent.commands.cpu;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-get-vcpus and guest-get-cpustats. */
public final class CpuCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestGetVcpus.SPEC, GuestGetVcpus.class);
        commands.add(GuestGetCpustats.SPEC, GuestGetCpustats.class);
    }
}
