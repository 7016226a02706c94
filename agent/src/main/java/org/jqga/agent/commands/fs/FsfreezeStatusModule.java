package org.jqga.agent.commands.fs;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-fsfreeze-status. */
public final class FsfreezeStatusModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestFsfreezeStatus.class);
        bind(GuestFsfreezeStatus.class);
    }
}
