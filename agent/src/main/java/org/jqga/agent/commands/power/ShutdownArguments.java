package org.jqga.agent.commands.power;

import org.jqga.agent.dispatch.OptionalArg;

/** {@code guest-shutdown}: {@code powerdown} (the default), {@code halt} or {@code reboot}. */
public record ShutdownArguments(@OptionalArg String mode) {
}
