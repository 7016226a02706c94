/** guest-ssh-get/add/remove-authorized-keys on the user's ~/.ssh/authorized_keys, replaced atomically. */
package org.jqga.agent.commands.ssh;
