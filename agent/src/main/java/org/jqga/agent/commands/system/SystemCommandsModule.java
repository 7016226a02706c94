package org.jqga.agent.commands.system;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-get-osinfo, -host-name, -timezone, -users, -time and -load. */
public final class SystemCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestGetOsinfo.class);
        commands.addBinding().to(GuestGetHostName.class);
        commands.addBinding().to(GuestGetTimezone.class);
        commands.addBinding().to(GuestGetUsers.class);
        commands.addBinding().to(GuestGetTime.class);
        commands.addBinding().to(GuestGetLoad.class);
        bind(GuestGetOsinfo.class);
        bind(GuestGetHostName.class);
        bind(GuestGetTimezone.class);
        bind(GuestGetUsers.class);
        bind(GuestGetTime.class);
        bind(GuestGetLoad.class);
    }
}
