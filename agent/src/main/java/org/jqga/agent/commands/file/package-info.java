/** guest-file-open, -close, -read, -write, -seek, -flush: handles from qemu-ga's persistent counter. */
package org.jqga.agent.commands.file;
