/** Filesystem freeze state: guest-fsfreeze-status (freezing and thawing live with the fsfreeze commands). */
package org.jqga.agent.commands.fs;
