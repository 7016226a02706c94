package org.jqga.agent.commands.password;

import org.jqga.agent.dispatch.CommandException;

/**
 * Sets a user's password. The seam between guest-set-user-password's validation and the system tool that changes
 * the password database, so that tests can check the command without touching real accounts.
 */
public interface PasswordChanger {
    /**
     * @param password the raw or crypt()ed password, without newline; the caller wipes the array afterwards
     * @param crypted  whether {@code password} is already a crypt() hash
     */
    void change(String username, byte[] password, boolean crypted) throws CommandException;
}
