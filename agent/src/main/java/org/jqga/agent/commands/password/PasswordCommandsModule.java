package org.jqga.agent.commands.password;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.jqga.agent.dispatch.Command;

/** Registers guest-set-user-password, changing passwords with chpasswd. Needs a {@code Libc} binding. */
public final class PasswordCommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(PasswordChanger.class).to(Chpasswd.class);
        bind(Chpasswd.class);
        Multibinder<Command<?>> commands = Multibinder.newSetBinder(binder(), new TypeLiteral<Command<?>>() { });
        commands.addBinding().to(SetUserPassword.class);
        bind(SetUserPassword.class);
    }
}
