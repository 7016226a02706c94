package org.jqga.agent.commands.info;

/** {@code guest-sync} and {@code guest-sync-delimited}: the client's token. */
public record SyncArguments(long id) {
}
