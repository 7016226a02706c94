package org.jqga.agent.commands.ssh;

import org.jqga.agent.dispatch.CommandFamily;

/** Registers the three guest-ssh-*-authorized-keys commands. Needs a {@code Libc} binding. */
public final class SshCommandsModule extends CommandFamily {
    @Override
    protected void declare(Declarations commands) {
        commands.add(SshCommands.Get.SPEC, SshCommands.Get.class);
        commands.add(SshCommands.Add.SPEC, SshCommands.Add.class);
        commands.add(SshCommands.Remove.SPEC, SshCommands.Remove.class);
    }

    @Override
    protected void bindShared() {
        bind(AuthorizedKeys.class);
    }
}
