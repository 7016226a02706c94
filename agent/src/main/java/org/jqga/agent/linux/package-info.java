/**
 * How the agent reads Linux facts: files under a {@link org.jqga.agent.linux.SystemRoot} (so unit tests read
 * fixture trees instead of the host's {@code /proc}, {@code /sys} and {@code /etc}), errors that carry qemu-ga's
 * errno text, the mount table, and the little of udev that qemu-ga consults (glibc's {@code inet_ntop} text is
 * {@link org.jqga.api.posix.InetText}, shared with the socket descriptions).
 *
 * <p>The Linux system calls behind the file, exec, ssh-key and password commands ({@link org.jqga.agent.linux.Libc}).
 * They live in the agent rather than in {@code org.jqga.api.posix} because no other module needs them; the JDK's
 * own file and process APIs are not used for these commands because they cannot give qemu-ga's semantics
 * (O_NONBLOCK/O_NOCTTY/O_CLOEXEC opens with errno texts, a child's real argv[0] and raw environment, the signal
 * that ended a child).
 *
 * <p>Where the commands that change the guest meet Linux: the programs qemu-ga runs ({@link ProgramRunner}), the
 * paths under {@code /sys} and {@code /sbin} ({@link HostPaths}), the mount table ({@link MountTable} behind the {@link Mounts} seam), and the
 * translation of I/O failures into qemu-ga's {@code strerror} texts ({@link Errno}). Each is a seam: tests give a
 * recording runner, a temporary root or a filtered mount table, so nothing powers off or re-clocks the test
 * machine.
 */
package org.jqga.agent.linux;
