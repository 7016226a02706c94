package org.jqga.agent.linux;

import java.util.Optional;

/**
 * The two things qemu-ga asks libudev about a block device, answered from the same files libudev reads: the device
 * node ({@code DEVNAME} in the sysfs {@code uevent} file, under {@code /dev}) and properties (the {@code uevent}
 * file, overridden by udev's database {@code /run/udev/data/b<major>:<minor>}, lines {@code E:KEY=value}).
 */
public final class Udev {
    private final SystemRoot root;

    public Udev(SystemRoot root) {
        this.root = root;
    }

    /** {@code udev_device_get_devnode}: e.g. {@code /dev/vda}; empty if the device has none or is unknown. */
    public Optional<String> devnode(String syspath) {
        return ueventValue(syspath, "DEVNAME").map(n -> n.startsWith("/") ? n : "/dev/" + n);
    }

    /** {@code udev_device_get_property_value}. */
    public Optional<String> property(String syspath, String key) {
        Optional<String> fromDb = database(syspath).flatMap(db -> {
            for (String line : db.split("\n")) {
                if (line.startsWith("E:" + key + "=")) {
                    return Optional.of(line.substring(key.length() + 3));
                }
            }
            return Optional.empty();
        });
        return fromDb.isPresent() ? fromDb : ueventValue(syspath, key);
    }

    private Optional<String> database(String syspath) {
        Optional<String> major = ueventValue(syspath, "MAJOR");
        Optional<String> minor = ueventValue(syspath, "MINOR");
        if (major.isEmpty() || minor.isEmpty()) {
            return Optional.empty();
        }
        try {
            return root.readIfExists("/run/udev/data/b" + major.get() + ":" + minor.get());
        } catch (FileFailure e) {
            return Optional.empty();
        }
    }

    private Optional<String> ueventValue(String syspath, String key) {
        try {
            String real = root.realpath(syspath);
            for (String line : root.read(real + "/uevent").split("\n")) {
                if (line.startsWith(key + "=")) {
                    return Optional.of(line.substring(key.length() + 1));
                }
            }
        } catch (FileFailure e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
