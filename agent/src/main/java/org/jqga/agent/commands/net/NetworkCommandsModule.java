package org.jqga.agent.commands.net;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-network-get-interfaces and guest-network-get-route. */
public final class NetworkCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestNetworkGetInterfaces.SPEC, GuestNetworkGetInterfaces.class);
        commands.add(GuestNetworkGetRoute.SPEC, GuestNetworkGetRoute.class);
    }
}
