package org.jqga.agent.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mount table as qemu-ga builds it: {@code /proc/self/mountinfo} (falling back to {@code /proc/self/mounts}),
 * keeping one mount per device so that bind mounts are frozen and trimmed once. Filesystems without a device
 * (major 0: proc, tmpfs, overlay, NFS) are left out, except btrfs, whose device is looked up by its source.
 */
public final class ProcMountTable implements MountTable {
    private static final String MOUNTINFO = "/proc/self/mountinfo";
    private static final String MOUNTS = "/proc/self/mounts";
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;

    private final Path mountinfo;
    private final Path mounts;

    public ProcMountTable() {
        this(Path.of(MOUNTINFO), Path.of(MOUNTS));
    }

    /** Reads the given files instead of this process's: for tests. */
    public ProcMountTable(Path mountinfo, Path mounts) {
        this.mountinfo = mountinfo;
        this.mounts = mounts;
    }

    @Override
    public List<Mount> mounts() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return fromMounts();
        }
        List<Mount> result = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            String[] dev = f[2].split(":");
            if (dev.length != 2) {
                continue;
            }
            int major;
            int minor;
            try {
                major = Integer.parseInt(dev[0]);
                minor = Integer.parseInt(dev[1]);
            } catch (NumberFormatException e) {
                continue;
            }
            String dir = decode(f[4]);
            String type = f[dash + 1];
            if (major == 0) {
                // btrfs reports major 0; its real device is the mount source.
                int[] real = "btrfs".equals(type) ? blockDevice(decode(f[dash + 2])) : null;
                if (real == null || real[0] < 0) {
                    continue;
                }
                major = real[0];
                minor = real[1];
            }
            add(result, new Mount(dir, type, major, minor));
        }
        return result;
    }

    private List<Mount> fromMounts() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(mounts, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IOException("failed to open mtab file: '" + MOUNTS + "'", e);
        }
        List<Mount> result = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("[ \t]+");
            if (f.length < 3) {
                continue;
            }
            String fsname = decode(f[0]);
            String type = f[2];
            // Entries whose source is not a path are virtual or network filesystems (cifs/smbfs excepted too).
            if (!fsname.startsWith("/") || type.equals("smbfs") || type.equals("cifs")) {
                continue;
            }
            int[] dev = blockDevice(fsname);
            if (dev != null && dev[0] == -2) {
                continue; // a directory: a bind mount
            }
            add(result, new Mount(decode(f[1]), type, dev == null ? 0 : Math.max(dev[0], 0),
                    dev == null ? 0 : Math.max(dev[1], 0)));
        }
        return result;
    }

    private static void add(List<Mount> list, Mount m) {
        for (Mount seen : list) {
            if (seen.major() == m.major() && seen.minor() == m.minor()) {
                return; // the same device again: a bind mount
            }
        }
        list.add(m);
    }

    /** {major, minor} of a block device; {-2, 0} for a directory; null when it cannot be examined or is neither. */
    private static int[] blockDevice(String path) {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(Path.of(path), "unix:mode,rdev");
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int mode = (Integer) attrs.get("mode");
        if ((mode & S_IFMT) == S_IFDIR) {
            return new int[] {-2, 0};
        }
        if ((mode & S_IFMT) != S_IFBLK) {
            return null;
        }
        long rdev = (Long) attrs.get("rdev");
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new int[] {major, minor};
    }

    /**
     * Undoes the kernel's octal escapes ({@code \040} for a space, {@code \134} for a backslash). The table is read
     * as ISO-8859-1 so every byte survives; the decoded bytes are UTF-8.
     */
    static String decode(String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        byte[] b = field.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && i + 3 < b.length && isOctal(b[i + 1], '3') && isOctal(b[i + 2], '7')
                    && isOctal(b[i + 3], '7')) {
                out.write((b[i + 1] - '0') * 64 + (b[i + 2] - '0') * 8 + (b[i + 3] - '0'));
                i += 3;
            } else if (b[i] == '\\' && i + 1 < b.length && b[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte c, char max) {
        return c >= '0' && c <= max;
    }
}
