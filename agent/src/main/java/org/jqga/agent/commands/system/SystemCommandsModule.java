package org.jqga.agent.commands.system;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-get-osinfo, -host-name, -timezone, -users, -time and -load. */
public final class SystemCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestGetOsinfo.SPEC, GuestGetOsinfo.class);
        commands.add(GuestGetHostName.SPEC, GuestGetHostName.class);
        commands.add(GuestGetTimezone.SPEC, GuestGetTimezone.class);
        commands.add(GuestGetUsers.SPEC, GuestGetUsers.class);
        commands.add(GuestGetTime.SPEC, GuestGetTime.class);
        commands.add(GuestGetLoad.SPEC, GuestGetLoad.class);
    }
}
