package org.jqga.api.posix;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the kernel publishes about this process's descriptors under {@code /proc}, read with the JDK alone. It lets
 * an activation prove its fds without binding libc, which costs a socket-activated start about a hundred
 * milliseconds before the first reply (jnr-ffi's start-up). Every answer comes from the kernel's own tables
 * ({@code /proc/self/fd}, {@code /proc/self/fdinfo}, {@code /proc/self/net/unix}); whatever they cannot answer
 * exactly (no {@code /proc}, an fd that is not open, a socket that is not AF_UNIX or lives in another network
 * namespace) is empty, and the caller asks libc instead: nothing here is a guess.
 */
final class ProcFds {
    /** Where the kernel publishes this process's entries. */
    static final Path SELF = Path.of("/proc/self");
    /** {@code __SO_ACCEPTCON} in {@code /proc/net/unix}'s Flags column: {@code listen()} was called. */
    private static final int SO_ACCEPTCON = 0x10000;
    /** {@code SS_CONNECTED} in its St column. */
    private static final int SS_CONNECTED = 3;
    private static final int O_NONBLOCK = 04000;
    /** The "mem" character devices' major (Documentation/admin-guide/devices.txt): none is a terminal. */
    private static final long MEM_MAJOR = 1;
    private static final int O_CLOEXEC = 02000000;

    private final Path fdDir;
    private final Path fdinfoDir;
    private final Path netUnix;
    private final boolean mounted;

    /** @param self {@link #SELF}; elsewhere (a directory that does not exist) nothing is answered, as without /proc */
    ProcFds(Path self) {
        this.fdDir = self.resolve("fd");
        this.fdinfoDir = self.resolve("fdinfo");
        this.netUnix = self.resolve("net/unix");
        this.mounted = Files.isDirectory(fdDir);
    }

    /** Whether {@code fd} is open; empty without {@code /proc}. */
    Optional<Boolean> isOpen(int fd) {
        if (!mounted || fd < 0) {
            return Optional.empty();
        }
        return Optional.of(Files.exists(fdDir.resolve(Integer.toString(fd)), LinkOption.NOFOLLOW_LINKS));
    }

    /** The file type of an open {@code fd}: {@code stat} through its {@code /proc/self/fd} link. */
    Optional<FileType> fileType(int fd) {
        return attributes(fd).map(a -> FileType.ofMode((Integer) a.get("mode")));
    }

    /** The device and inode of an open {@code fd}, as {@code fstat} gives them. */
    Optional<FileKey> fileKey(int fd) {
        return attributes(fd).map(a -> {
            long dev = (Long) a.get("dev");
            return new FileKey(major(dev), minor(dev), (Long) a.get("ino"));
        });
    }

    /**
     * False when {@code fd} cannot be a terminal: anything but a character device, or one of the "mem" driver's
     * (major 1: {@code /dev/null}, {@code /dev/zero}, {@code /dev/urandom} ..., the stdin of most services). Empty
     * when only {@code isatty} can tell (another character device).
     */
    Optional<Boolean> isatty(int fd) {
        Optional<Map<String, Object>> a = attributes(fd);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        if (FileType.ofMode((Integer) a.get().get("mode")) != FileType.CHARACTER_DEVICE) {
            return Optional.of(false);
        }
        return major((Long) a.get().get("rdev")) == MEM_MAJOR ? Optional.of(false) : Optional.empty();
    }

    /** glibc's gnu_dev_major: the 64-bit dev_t keeps 12 + 20 bits of the major. */
    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's gnu_dev_minor: 8 + 12 bits of the minor. */
    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    /** {@code FD_CLOEXEC}, which fdinfo reports as {@code O_CLOEXEC} in the fd's flags. */
    Optional<Boolean> isCloseOnExec(int fd) {
        OptionalInt flags = flags(fd);
        return flags.isPresent() ? Optional.of((flags.getAsInt() & O_CLOEXEC) != 0) : Optional.empty();
    }

    /**
     * An AF_UNIX socket's family, type, role and address from {@code /proc/self/net/unix}, found by the inode its
     * fd link names ({@code socket:[INODE]}). Empty for any other socket (AF_INET, AF_VSOCK ...), and for an AF_UNIX
     * socket the table does not list (another network namespace) or lists ambiguously (a path with a newline).
     */
    Optional<SocketInfo> unixSocketInfo(int fd) {
        Optional<Long> inode = socketInode(fd);
        OptionalInt flags = flags(fd);
        if (inode.isEmpty() || flags.isEmpty()) {
            return Optional.empty();
        }
        String wanted = " " + inode.get();
        try (BufferedReader table = Files.newBufferedReader(netUnix, StandardCharsets.UTF_8)) {
            table.readLine(); // the header
            for (String line = table.readLine(); line != null; line = table.readLine()) {
                // Num: RefCount Protocol Flags Type St Inode [Path]
                String[] columns = line.split(" ", 8);
                if (columns.length < 7 || !(" " + columns[6]).equals(wanted)) {
                    continue;
                }
                String next = table.readLine();
                if (next != null && !isRow(next)) {
                    return Optional.empty(); // the path went on past a newline: let getsockname say it exactly
                }
                int socketFlags = Integer.parseInt(columns[3], 16);
                int type = Integer.parseInt(columns[4], 16);
                int state = Integer.parseInt(columns[5], 16);
                String path = columns.length == 8 ? columns[7] : "";
                return Optional.of(new SocketInfo(fd, SocketFamily.UNIX, SocketFamily.UNIX.number(),
                        SocketType.of(type), (socketFlags & SO_ACCEPTCON) != 0, state == SS_CONNECTED, path,
                        (flags.getAsInt() & O_NONBLOCK) != 0));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable or unexpected table: libc answers instead
        }
    }

    /** Whether {@code line} starts like a row of the table: a hexadecimal slot address and a colon. */
    private static boolean isRow(String line) {
        int colon = line.indexOf(": ");
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            if (Character.digit(line.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private Optional<Long> socketInode(int fd) {
        if (!mounted || fd < 0) {
            return Optional.empty();
        }
        try {
            String target = Files.readSymbolicLink(fdDir.resolve(Integer.toString(fd))).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Optional.of(Long.parseLong(target.substring(8, target.length() - 1)));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Map<String, Object>> attributes(int fd) {
        if (!mounted || fd < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAttributes(fdDir.resolve(Integer.toString(fd)), "unix:mode,dev,ino,rdev"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not open, or no unix attribute view: libc's errno says which
        }
    }

    /** The {@code flags:} line of {@code /proc/self/fdinfo/FD}: the open file's flags plus {@code O_CLOEXEC}. */
    private OptionalInt flags(int fd) {
        if (!mounted || fd < 0) {
            return OptionalInt.empty();
        }
        try (BufferedReader info = Files.newBufferedReader(fdinfoDir.resolve(Integer.toString(fd)),
                StandardCharsets.UTF_8)) {
            for (String line = info.readLine(); line != null; line = info.readLine()) {
                if (line.startsWith("flags:")) {
                    return OptionalInt.of(Integer.parseInt(line.substring(6).trim(), 8));
                }
            }
            return OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
