package org.jqga.agent.commands.power;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import org.jqga.agent.dispatch.Command;

/** Registers guest-shutdown, guest-suspend-disk, guest-suspend-ram and guest-suspend-hybrid. */
public final class PowerCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(Suspender.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestShutdown.class);
        bind(GuestShutdown.class);
    }

    @ProvidesIntoSet
    Command<?> suspendDisk(Suspender suspender) {
        return new GuestSuspend(SuspendMode.DISK, suspender);
    }

    @ProvidesIntoSet
    Command<?> suspendRam(Suspender suspender) {
        return new GuestSuspend(SuspendMode.RAM, suspender);
    }

    @ProvidesIntoSet
    Command<?> suspendHybrid(Suspender suspender) {
        return new GuestSuspend(SuspendMode.HYBRID, suspender);
    }
}
