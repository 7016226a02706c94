package org.jqga.agent.commands.memory;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-get-memory-blocks and guest-get-memory-block-info. */
public final class MemoryCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestGetMemoryBlocks.class);
        commands.addBinding().to(GuestGetMemoryBlockInfo.class);
        bind(GuestGetMemoryBlocks.class);
        bind(GuestGetMemoryBlockInfo.class);
    }
}
