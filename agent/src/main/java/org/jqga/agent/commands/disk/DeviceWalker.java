package org.jqga.agent.commands.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.agent.linux.Udev;

/**
 * qemu-ga's {@code build_guest_fsinfo_for_device}: from a sysfs device path to the disk addresses under it.
 * Virtual devices (device-mapper, md, loop) are followed through their {@code slaves}; real ones get a
 * {@link DiskAddress} from the PCI (or CCW, or non-PCI virtio) path and the driver found walking up it.
 */
final class DeviceWalker {
    private static final List<String> DRIVERS = List.of("ata_piix", "sym53c8xx", "virtio-pci", "ahci", "nvme",
            "xhci_hcd", "ehci-pci");
    private static final Pattern PCI_ROOT = Pattern.compile("^[0-9a-fA-F]+:[0-9a-fA-F]+/([0-9a-fA-F]+):([0-9a-fA-F]+):"
            + "([0-9a-fA-F]+)\\.([0-9a-fA-F]+)");
    private static final Pattern PCI_NEXT = Pattern.compile("^/([0-9a-fA-F]+):([0-9a-fA-F]+):([0-9a-fA-F]+)\\."
            + "([0-9a-fA-F]+)");
    private static final Pattern TARGET = Pattern.compile("^\\d+:\\d+:\\d+/\\d+:(\\d+):(\\d+):(\\d+)");
    private static final Pattern CCW = Pattern.compile("^[0-9a-fA-F]+/([0-9a-fA-F]+)\\.([0-9a-fA-F]+)\\.([0-9a-fA-F]+)"
            + "/[0-9a-fA-F]+\\.[0-9a-fA-F]+\\.([0-9a-fA-F]+)/");

    /** The name and disks learned so far for one filesystem (or one disk). */
    static final class Result {
        String name;
        final List<DiskAddress> disks = new ArrayList<>();
    }

    private final SystemRoot root;
    private final Udev udev;

    DeviceWalker(SystemRoot root) {
        this.root = root;
        this.udev = new Udev(root);
    }

    void walk(String devpath, Result fs) throws CommandException {
        String syspath;
        try {
            syspath = root.realpath(devpath);
        } catch (FileFailure e) {
            if (!e.isNotFound()) {
                throw new CommandException("realpath(\"" + devpath + "\"): " + e.strerror());
            }
            // The device may be missing in a container.
            if (fs.name == null) {
                fs.name = basename(devpath);
            }
            return;
        }
        if (fs.name == null) {
            fs.name = basename(syspath);
        }
        if (isVirtual(syspath)) {
            virtualDevice(syspath, fs);
        } else {
            realDevice(syspath, fs);
        }
    }

    static boolean isVirtual(String syspath) {
        return syspath.contains("/devices/virtual/block/");
    }

    private void virtualDevice(String syspath, Result fs) throws CommandException {
        String slaves = syspath + "/slaves";
        List<String> names;
        try {
            names = root.list(slaves);
        } catch (FileFailure e) {
            if (!e.isNotFound()) {
                throw new CommandException("opendir(\"" + slaves + "\"): " + e.strerror());
            }
            return;
        }
        for (String n : names) {
            if (root.isSymbolicLink(slaves + "/" + n)) {
                walk(slaves + "/" + n, fs);
            }
        }
    }

    private void realDevice(String syspath, Result fs) throws CommandException {
        Address a = new Address();
        a.dev = udev.devnode(syspath).orElse(null);
        a.serial = udev.property(syspath, "ID_SERIAL").filter(s -> !s.isEmpty()).orElse(null);
        boolean hasHwInfo;
        if (syspath.contains("/devices/pci")) {
            hasHwInfo = pci(syspath, a);
        } else if (syspath.contains("/devices/css")) {
            hasHwInfo = ccw(syspath, a);
        } else if (syspath.contains("/virtio")) {
            hasHwInfo = nonPciVirtio(syspath, a);
        } else {
            hasHwInfo = false;
        }
        if (hasHwInfo || a.dev != null || a.serial != null) {
            fs.disks.add(0, a.build());
        }
    }

    /** The mutable form of a {@link DiskAddress} while it is being worked out. */
    private static final class Address {
        long domain = -1;
        long pciBus = -1;
        long slot = -1;
        long function = -1;
        String busType = "unknown";
        long bus;
        long target;
        long unit;
        String serial;
        String dev;
        DiskAddress.CcwAddress ccw;

        DiskAddress build() {
            return new DiskAddress(new DiskAddress.PciAddress(domain, pciBus, slot, function), busType, bus, target,
                    unit, serial, dev, ccw);
        }
    }

    private boolean pci(String syspath, Address a) throws CommandException {
        int at = syspath.indexOf("/devices/pci");
        Matcher m = PCI_ROOT.matcher(syspath.substring(at + 12));
        if (!m.find()) {
            return false;
        }
        long[] pci = hex4(m);
        int p = at + 12 + m.end();
        String driver;
        while (true) {
            driver = root.readlink(syspath.substring(0, p) + "/driver").map(DeviceWalker::basename).orElse(null);
            if (driver != null && DRIVERS.contains(driver)) {
                break;
            }
            Matcher next = PCI_NEXT.matcher(syspath.substring(p));
            if (next.find()) {
                pci = hex4(next);
                p += next.end();
                continue;
            }
            return false;
        }
        long[] tgt = null;
        int t = syspath.indexOf("/target");
        if (t >= 0) {
            Matcher tm = TARGET.matcher(syspath.substring(t + 7));
            if (tm.find()) {
                tgt = new long[] {Long.parseLong(tm.group(1)), Long.parseLong(tm.group(2)),
                        Long.parseLong(tm.group(3))};
            }
        }
        boolean ata = true;
        int h = syspath.indexOf("/ata");
        int offset = 4;
        if (h < 0) {
            ata = false;
            h = syspath.indexOf("/host");
            offset = 5;
        }
        Long host = null;
        List<Long> hosts = List.of();
        if (h >= 0) {
            Matcher hm = Pattern.compile("^\\s*\\+?(\\d+)").matcher(syspath.substring(h + offset));
            if (hm.find()) {
                host = Long.parseLong(hm.group(1));
                hosts = hosts(syspath.substring(0, h), ata);
            }
        }
        a.domain = pci[0];
        a.pciBus = pci[1];
        a.slot = pci[2];
        a.function = pci[3];
        switch (driver) {
            case "ata_piix":
                if (host == null || tgt == null || !hosts.contains(host)) {
                    return false;
                }
                a.busType = "ide";
                a.bus = hosts.indexOf(host);
                a.unit = tgt[1];
                return true;
            case "sym53c8xx":
                if (tgt == null) {
                    return false;
                }
                a.busType = "scsi";
                a.unit = tgt[1];
                return true;
            case "virtio-pci":
                if (tgt != null) {
                    a.busType = "scsi";
                    a.unit = tgt[2];
                } else {
                    a.busType = "virtio";
                }
                return true;
            case "ahci":
                if (host == null || tgt == null || !hosts.contains(host)) {
                    return false;
                }
                a.busType = "sata";
                a.unit = hosts.indexOf(host);
                return true;
            case "nvme":
                a.busType = "nvme";
                return true;
            default: // ehci-pci, xhci_hcd
                a.busType = "usb";
                return true;
        }
    }

    /** The sorted {@code ataN} or {@code hostN} numbers in a directory (at most eight, as qemu-ga reads). */
    private List<Long> hosts(String dir, boolean ata) throws CommandException {
        List<String> names;
        try {
            names = root.list(dir);
        } catch (FileFailure e) {
            throw new CommandException("opendir(\"" + dir + "\"): " + e.strerror());
        }
        Pattern p = Pattern.compile(ata ? "^ata\\s*([+-]?\\d+).*" : "^host\\s*([+-]?\\d+).*");
        List<Long> hosts = new ArrayList<>();
        for (String n : names) {
            if (hosts.size() == 8) {
                break;
            }
            Matcher m = p.matcher(n);
            if (m.matches()) {
                hosts.add(Long.parseLong(m.group(1)) & 0xFFFFFFFFL);
            }
        }
        hosts.sort(null);
        return hosts;
    }

    private static boolean nonPciVirtio(String syspath, Address a) {
        if (!syspath.contains("/virtio") || !syspath.contains("/block")) {
            return false;
        }
        int t = syspath.indexOf("/target");
        Matcher tm = t < 0 ? null : TARGET.matcher(syspath.substring(t + 7));
        if (tm != null && tm.find()) {
            a.busType = "scsi";
            a.bus = Long.parseLong(tm.group(1));
            a.target = Long.parseLong(tm.group(2));
            a.unit = Long.parseLong(tm.group(3));
        } else {
            a.busType = "virtio";
        }
        return true;
    }

    private static boolean ccw(String syspath, Address a) {
        int at = syspath.indexOf("/devices/css");
        Matcher m = CCW.matcher(syspath.substring(at + 12));
        if (!m.find()) {
            return false;
        }
        a.ccw = new DiskAddress.CcwAddress(Long.parseLong(m.group(1), 16), Long.parseLong(m.group(2), 16),
                Long.parseLong(m.group(3), 16), Long.parseLong(m.group(4), 16));
        if (syspath.substring(at).contains("/virtio")) {
            nonPciVirtio(syspath, a);
        }
        return true;
    }

    private static long[] hex4(Matcher m) {
        return new long[] {Long.parseLong(m.group(1), 16), Long.parseLong(m.group(2), 16),
                Long.parseLong(m.group(3), 16), Long.parseLong(m.group(4), 16)};
    }

    static String basename(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    Optional<String> devnode(String syspath) {
        return udev.devnode(syspath);
    }

    Optional<String> property(String syspath, String key) {
        return udev.property(syspath, key);
    }
}
