package org.jqga.agent.commands.password;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers guest-set-user-password, changing passwords with chpasswd. Needs a {@code Libc} binding. */
public final class PasswordCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(SetUserPassword.SPEC, SetUserPassword.class);
    }

    @Override
    protected void bindShared() {
        bind(PasswordChanger.class).to(Chpasswd.class);
        bind(Chpasswd.class);
    }
}
