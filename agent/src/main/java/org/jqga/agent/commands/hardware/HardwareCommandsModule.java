package org.jqga.agent.commands.hardware;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-set-vcpus and guest-set-memory-blocks. */
public final class HardwareCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestSetVcpus.class);
        commands.addBinding().to(GuestSetMemoryBlocks.class);
        bind(GuestSetVcpus.class);
        bind(GuestSetMemoryBlocks.class);
    }
}
