package org.jqga.agent.commands.exec;

import com.google.inject.Singleton;
import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-exec and guest-exec-status. Needs a {@code Libc} binding. */
public final class ExecCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(ExecCommands.Status.SPEC, ExecCommands.Status.class);
        commands.add(ExecCommands.Exec.SPEC, ExecCommands.Exec.class);
    }

    @Override
    protected void bindShared() {
        bind(Processes.class).in(Singleton.class);
    }
}
