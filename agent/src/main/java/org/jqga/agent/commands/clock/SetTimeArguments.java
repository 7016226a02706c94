package org.jqga.agent.commands.clock;

import org.jqga.agent.dispatch.OptionalArg;

/** {@code guest-set-time}: nanoseconds since the epoch; absent means "set the system clock from the RTC". */
public record SetTimeArguments(@OptionalArg Long time) {
}
