package org.jqga.agent.commands.fstrim;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-fstrim. */
public final class FstrimCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestFstrim.class);
        bind(GuestFstrim.class);
    }
}
