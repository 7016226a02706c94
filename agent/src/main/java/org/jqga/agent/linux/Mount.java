package org.jqga.agent.linux;

/**
 * One mounted filesystem as qemu-ga's mount list holds it.
 *
 * @param directory where it is mounted, octal escapes decoded
 * @param type      the filesystem type, e.g. {@code ext4}
 * @param major     the device's major number (0 when unknown)
 * @param minor     the device's minor number
 */
public record Mount(String directory, String type, int major, int minor) {
}
