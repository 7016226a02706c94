package org.jqga.agent.commands.info;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-sync, guest-sync-delimited, guest-ping and guest-info. */
public final class InfoCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestSyncDelimited.class);
        commands.addBinding().to(GuestSync.class);
        commands.addBinding().to(GuestPing.class);
        commands.addBinding().to(GuestInfo.class);
        bind(GuestSyncDelimited.class);
        bind(GuestSync.class);
        bind(GuestPing.class);
        bind(GuestInfo.class);
    }
}
