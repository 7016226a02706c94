/** guest-set-user-password through chpasswd, behind the {@link org.jqga.agent.commands.password.PasswordChanger} seam. */
package org.jqga.agent.commands.password;
