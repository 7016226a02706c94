/** The protocol commands every agent has: guest-sync, guest-sync-delimited, guest-ping, guest-info. */
package org.jqga.agent.commands.info;
