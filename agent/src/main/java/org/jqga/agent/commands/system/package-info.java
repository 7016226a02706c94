/**
 * What the host asks about the guest's identity and clock: guest-get-osinfo, guest-get-host-name,
 * guest-get-timezone, guest-get-users, guest-get-time and guest-get-load.
 */
package org.jqga.agent.commands.system;
