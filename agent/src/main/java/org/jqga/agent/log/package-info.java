/** Logging in qemu-ga's line format, to stderr or a log file. */
package org.jqga.agent.log;
