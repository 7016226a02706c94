package org.jqga.agent.commands.fsfreeze;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/**
 * Registers guest-fsfreeze-freeze, guest-fsfreeze-freeze-list and guest-fsfreeze-thaw, and the one
 * {@link FilesystemFreezer} they share (the agent thaws through it on exit too).
 */
public final class FreezeThawCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(FilesystemFreezer.class).in(Singleton.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(GuestFsfreezeFreeze.class);
        commands.addBinding().to(GuestFsfreezeFreezeList.class);
        commands.addBinding().to(GuestFsfreezeThaw.class);
        bind(GuestFsfreezeFreeze.class);
        bind(GuestFsfreezeFreezeList.class);
        bind(GuestFsfreezeThaw.class);
    }
}
