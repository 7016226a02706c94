/**
 * The Linux system calls behind the file, exec, ssh-key and password commands ({@link org.jqga.agent.linux.Libc}).
 * They live in the agent rather than in {@code org.jqga.api.posix} because no other module needs them; the JDK's
 * own file and process APIs are not used for these commands because they cannot give qemu-ga's semantics
 * (O_NONBLOCK/O_NOCTTY/O_CLOEXEC opens with errno texts, a child's real argv[0] and raw environment, the signal
 * that ended a child).
 */
package org.jqga.agent.linux;
