/**
 * guest-fsfreeze-freeze, guest-fsfreeze-freeze-list, guest-fsfreeze-thaw: {@code FIFREEZE}/{@code FITHAW} through
 * {@link org.jqga.api.posix.Posix}, the {@code --fsfreeze-hook} script, and the frozen state that gates the other
 * commands. (guest-fsfreeze-status, which only reads that state, lives with the read-only commands.)
 */
package org.jqga.agent.commands.fsfreeze;
