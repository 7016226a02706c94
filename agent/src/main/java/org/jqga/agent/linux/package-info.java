/**
 * Where the commands that change the guest meet Linux: the programs qemu-ga runs ({@link ProgramRunner}), the
 * paths under {@code /sys} and {@code /sbin} ({@link HostPaths}), the mount table ({@link MountTable}), and the
 * translation of I/O failures into qemu-ga's {@code strerror} texts ({@link Errno}). Each is a seam: tests give a
 * recording runner, a temporary root or a filtered mount table, so nothing powers off or re-clocks the test
 * machine.
 */
package org.jqga.agent.linux;
