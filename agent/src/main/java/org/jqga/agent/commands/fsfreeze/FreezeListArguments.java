package org.jqga.agent.commands.fsfreeze;

import java.util.List;
import org.jqga.agent.dispatch.OptionalArg;

/** {@code guest-fsfreeze-freeze-list}: the mount points to freeze; absent means all. */
public record FreezeListArguments(@OptionalArg List<String> mountpoints) {
}
