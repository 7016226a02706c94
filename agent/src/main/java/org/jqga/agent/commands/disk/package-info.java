/** Disks and filesystems: guest-get-fsinfo, guest-get-disks and guest-get-diskstats. */
package org.jqga.agent.commands.disk;
