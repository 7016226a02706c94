/** guest-fstrim: {@code FITRIM} on every local filesystem, with a result per mount point. */
package org.jqga.agent.commands.fstrim;
