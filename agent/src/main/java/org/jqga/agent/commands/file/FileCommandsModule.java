package org.jqga.agent.commands.file;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-file-open, -close, -read, -write, -seek and -flush. Needs a {@code Libc} binding. */
public final class FileCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(HandleCounter.class).in(Singleton.class);
        bind(FileHandles.class).in(Singleton.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(FileCommands.Open.class);
        commands.addBinding().to(FileCommands.Close.class);
        commands.addBinding().to(FileCommands.Read.class);
        commands.addBinding().to(FileCommands.Write.class);
        commands.addBinding().to(FileCommands.Seek.class);
        commands.addBinding().to(FileCommands.Flush.class);
        bind(FileCommands.Open.class);
        bind(FileCommands.Close.class);
        bind(FileCommands.Read.class);
        bind(FileCommands.Write.class);
        bind(FileCommands.Seek.class);
        bind(FileCommands.Flush.class);
    }
}
