package org.jqga.agent.commands.exec;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.server.BackgroundWork;

/** Registers guest-exec and guest-exec-status. Needs a {@code Libc} binding. */
public final class ExecCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(Processes.class).in(Singleton.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(ExecCommands.Status.class);
        commands.addBinding().to(ExecCommands.Exec.class);
        bind(ExecCommands.Status.class);
        bind(ExecCommands.Exec.class);
        Multibinder.newSetBinder(binder(), BackgroundWork.class).addBinding().to(Processes.class);
    }
}
