package org.jqga.agent.commands.file;

import com.google.inject.Singleton;
import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-file-open, -close, -read, -write, -seek and -flush. Needs a {@code Libc} binding. */
public final class FileCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(FileCommands.Open.SPEC, FileCommands.Open.class);
        commands.add(FileCommands.Close.SPEC, FileCommands.Close.class);
        commands.add(FileCommands.Read.SPEC, FileCommands.Read.class);
        commands.add(FileCommands.Write.SPEC, FileCommands.Write.class);
        commands.add(FileCommands.Seek.SPEC, FileCommands.Seek.class);
        commands.add(FileCommands.Flush.SPEC, FileCommands.Flush.class);
    }

    @Override
    protected void bindShared() {
        bind(HandleCounter.class).in(Singleton.class);
        bind(FileHandles.class).in(Singleton.class);
    }
}
