package org.jqga.agent.commands.memory;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-get-memory-blocks and guest-get-memory-block-info. */
public final class MemoryCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestGetMemoryBlocks.SPEC, GuestGetMemoryBlocks.class);
        commands.add(GuestGetMemoryBlockInfo.SPEC, GuestGetMemoryBlockInfo.class);
    }
}
