package org.jqga.agent.linux;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local filesystems qemu-ga works on (fsinfo, fsfreeze, fstrim): {@code /proc/self/mountinfo} entries backed
 * by a device (major ≠ 0; btrfs, which reports major 0, is asked its source device instead), the first mount of
 * each device only, in mount order. Without mountinfo, {@code /proc/self/mounts} is read the way qemu-ga reads
 * mtab: sources that are absolute paths, not smbfs/cifs, not directories (bind mounts).
 */
public final class MountTable {
    /** One mounted filesystem. */
    public record Mount(String dirname, String devtype, long major, long minor) {
    }

    static final String MOUNTINFO = "/proc/self/mountinfo";
    /** When this cannot be read either, qemu-ga fails with {@code failed to open mtab file: '/proc/self/mounts'}. */
    public static final String MTAB = "/proc/self/mounts";
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;

    private final SystemRoot root;

    public MountTable(SystemRoot root) {
        this.root = root;
    }

    /** The mounts; fails with qemu-ga's text when neither table can be read. */
    public List<Mount> mounts() throws FileFailure {
        byte[] mountinfo;
        try {
            mountinfo = root.readBytes(MOUNTINFO);
        } catch (FileFailure e) {
            return fromMtab();
        }
        List<Mount> mounts = new ArrayList<>();
        for (String line : new String(mountinfo, StandardCharsets.ISO_8859_1).split("\n")) {
            Mount m = parseMountinfoLine(line);
            if (m != null && !contains(mounts, m.major(), m.minor())) {
                mounts.add(m);
            }
        }
        return mounts;
    }

    private Mount parseMountinfoLine(String line) {
        // "%*u %*u %u:%u %*s %n%*s%n%c": id, parent, MAJ:MIN, root, mount point, and at least one more character.
        String[] f = line.split(" ", -1);
        if (f.length < 6 || !isUnsigned(f[0]) || !isUnsigned(f[1])) {
            return null;
        }
        int colon = f[2].indexOf(':');
        if (colon < 0 || !isUnsigned(f[2].substring(0, colon)) || !isUnsigned(f[2].substring(colon + 1))) {
            return null;
        }
        long major = Long.parseLong(f[2].substring(0, colon)) & 0xFFFFFFFFL;
        long minor = Long.parseLong(f[2].substring(colon + 1)) & 0xFFFFFFFFL;
        String dir = f[4];
        int dash = -1;
        for (int i = 5; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        // " - %n%*s%n %n%*s%n%c": the filesystem type, its source, and something after the source.
        if (dash < 0 || dash + 3 >= f.length || f[dash + 1].isEmpty()) {
            return null;
        }
        String type = decode(f[dash + 1]);
        String dev = decode(f[dash + 2]);
        if (major == 0) {
            if (!type.equals("btrfs")) {
                return null;
            }
            long[] mm = blockDevice(dev);
            if (mm == null || mm.length == 0) {
                return null;
            }
            major = mm[0];
            minor = mm[1];
        }
        return new Mount(decode(dir), type, major, minor);
    }

    private List<Mount> fromMtab() throws FileFailure {
        String text;
        try {
            text = new String(root.readBytes(MTAB), StandardCharsets.ISO_8859_1);
        } catch (FileFailure e) {
            throw e; // qemu-ga: "failed to open mtab file: '/proc/self/mounts'" (see MountTable.MTAB)
        }
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("[ \t]+");
            if (f.length < 3 || f[0].startsWith("#")) {
                continue;
            }
            String fsname = decode(f[0]);
            String type = decode(f[2]);
            if (!fsname.startsWith("/") || type.equals("smbfs") || type.equals("cifs")) {
                continue;
            }
            long[] mm = blockDevice(fsname);
            if (mm != null && mm.length == 0) {
                continue; // a directory: a bind mount
            }
            long major = mm == null ? 0 : mm[0];
            long minor = mm == null ? 0 : mm[1];
            if (contains(mounts, major, minor)) {
                continue;
            }
            mounts.add(new Mount(decode(f[1]), type, major, minor));
        }
        return mounts;
    }

    /** {major, minor} of a block device; an empty array for a directory; null for anything else. */
    private long[] blockDevice(String devpath) {
        try {
            Map<String, Object> a = Files.readAttributes(root.path(devpath), "unix:mode,rdev");
            int mode = (Integer) a.get("mode");
            if ((mode & S_IFMT) == S_IFDIR) {
                return new long[0];
            }
            if ((mode & S_IFMT) == S_IFBLK) {
                long rdev = (Long) a.get("rdev");
                // glibc's major()/minor() of a 64-bit dev_t.
                long major = ((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL);
                long minor = (rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL);
                return new long[] {major & 0xFFFFFFFFL, minor & 0xFFFFFFFFL};
            }
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean contains(List<Mount> mounts, long major, long minor) {
        for (Mount m : mounts) {
            if (m.major() == major && m.minor() == minor) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnsigned(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The kernel's octal escapes ({@code \040} for a space, {@code \\} for a backslash); bytes, then UTF-8. */
    static String decode(String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        byte[] b = field.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\\') {
                out.write(b[i]);
            } else if (i + 1 < b.length && b[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else if (i + 3 < b.length && b[i + 1] >= '0' && b[i + 1] <= '3' && b[i + 2] >= '0' && b[i + 2] <= '7'
                    && b[i + 3] >= '0' && b[i + 3] <= '7') {
                out.write((b[i + 1] - '0') * 64 + (b[i + 2] - '0') * 8 + (b[i + 3] - '0'));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
