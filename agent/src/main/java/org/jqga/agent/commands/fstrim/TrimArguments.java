package org.jqga.agent.commands.fstrim;

import org.jqga.agent.dispatch.OptionalArg;

/** {@code guest-fstrim}: free extents shorter than {@code minimum} bytes are not discarded (absent: 0). */
public record TrimArguments(@OptionalArg Long minimum) {
}
