package org.jqga.agent.commands.disk;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-get-fsinfo, guest-get-disks and guest-get-diskstats. */
public final class DiskCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(GuestGetFsinfo.SPEC, GuestGetFsinfo.class);
        commands.add(GuestGetDisks.SPEC, GuestGetDisks.class);
        commands.add(GuestGetDiskstats.SPEC, GuestGetDiskstats.class);
    }
}
