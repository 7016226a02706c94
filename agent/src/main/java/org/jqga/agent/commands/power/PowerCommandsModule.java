package org.jqga.agent.commands.power;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-shutdown, guest-suspend-disk, guest-suspend-ram and guest-suspend-hybrid. */
public final class PowerCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(Suspender.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestShutdown.class);
        commands.addBinding().to(GuestSuspendDisk.class);
        commands.addBinding().to(GuestSuspendRam.class);
        commands.addBinding().to(GuestSuspendHybrid.class);
        bind(GuestShutdown.class);
        bind(GuestSuspendDisk.class);
        bind(GuestSuspendRam.class);
        bind(GuestSuspendHybrid.class);
    }
}
