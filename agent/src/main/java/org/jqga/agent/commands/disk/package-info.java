/**
 * Disks and filesystems: guest-get-fsinfo, guest-get-disks and guest-get-diskstats.
 *
 * <p>Where qemu-ga asks libudev, these commands read what libudev reads (the sysfs {@code uevent} file and
 * {@code /run/udev/data}). Not done: the NVMe SMART log of guest-get-disks ({@code smart}), which needs the
 * {@code NVME_IOCTL_ADMIN_CMD} ioctl; NVMe disks are listed without it.
 */
package org.jqga.agent.commands.disk;
