package org.jqga.agent.commands.disk;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-get-fsinfo, guest-get-disks and guest-get-diskstats. */
public final class DiskCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestGetFsinfo.class);
        commands.addBinding().to(GuestGetDisks.class);
        commands.addBinding().to(GuestGetDiskstats.class);
        bind(GuestGetFsinfo.class);
        bind(GuestGetDisks.class);
        bind(GuestGetDiskstats.class);
    }
}
