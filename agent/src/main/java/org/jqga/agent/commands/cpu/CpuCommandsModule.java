package org.jqga.agent.commands.cpu;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-get-vcpus and guest-get-cpustats. */
public final class CpuCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestGetVcpus.class);
        commands.addBinding().to(GuestGetCpustats.class);
        bind(GuestGetVcpus.class);
        bind(GuestGetCpustats.class);
    }
}
