package org.jqga.agent.commands.net;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-network-get-interfaces and guest-network-get-route. */
public final class NetworkCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestNetworkGetInterfaces.class);
        commands.addBinding().to(GuestNetworkGetRoute.class);
        bind(GuestNetworkGetInterfaces.class);
        bind(GuestNetworkGetRoute.class);
    }
}
