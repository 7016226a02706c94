package org.jqga.api.posix;

/**
 * The master side of a new pseudo-terminal and the path of its slave side. Tests use it to stand in for a
 * serial port or a virtio-serial port: the agent opens {@code slavePath}, the test is the host on {@code masterFd}.
 *
 * @param masterFd  the master descriptor (close-on-exec); closing it hangs up the slave
 * @param slavePath {@code /dev/pts/N}
 */
public record PseudoTerminal(int masterFd, String slavePath) {
}
