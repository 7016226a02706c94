package org.jqga.agent.commands.hardware;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-set-vcpus and guest-set-memory-blocks. */
public final class HardwareCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestSetVcpus.SPEC, GuestSetVcpus.class);
        commands.add(GuestSetMemoryBlocks.SPEC, GuestSetMemoryBlocks.class);
    }
}
