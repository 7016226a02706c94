package org.jqga.agent.commands.ssh;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers the three guest-ssh-*-authorized-keys commands. Needs a {@code Libc} binding. */
public final class SshCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(AuthorizedKeys.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(SshCommands.Get.class);
        commands.addBinding().to(SshCommands.Add.class);
        commands.addBinding().to(SshCommands.Remove.class);
        bind(SshCommands.Get.class);
        bind(SshCommands.Add.class);
        bind(SshCommands.Remove.class);
    }
}
