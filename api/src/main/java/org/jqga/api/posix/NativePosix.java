package org.jqga.api.posix;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * {@link Posix} over libc with jnr-ffi. What {@code /proc} answers about an fd ({@link ProcFds}) is read there, so
 * that proving an activation's fds binds no libc; libc is bound on the first call that needs it. Structure offsets
 * are for Linux; statx's layout is the same on every arch.
 */
final class NativePosix implements Posix {
    /** The libc functions we call; errno is saved after each so {@link Runtime#getLastError()} is reliable. */
    public interface LibC {
        @SaveError int fcntl(int fd, int cmd, int arg);
        @SaveError int statx(int dirfd, String path, int flags, int mask, Pointer buf);
        @SaveError int getsockopt(int fd, int level, int optname, Pointer optval, IntByReference optlen);
        @SaveError int getsockname(int fd, Pointer addr, IntByReference addrlen);
        @SaveError int getpeername(int fd, Pointer addr, IntByReference addrlen);
        @SaveError int accept4(int fd, Pointer addr, IntByReference addrlen, int flags);
        @SaveError int shutdown(int fd, int how);
        @SaveError int isatty(int fd);
        /**
         * The name as NUL-terminated bytes, not a String: jnr-ffi's first call with a String parameter builds its
         * string converters, ~20 ms of a socket-activated start (3 ms with bytes).
         */
        @SaveError int unsetenv(byte[] name);
        @SaveError int close(int fd);
        String strerror(int errnum);
        @SaveError int statvfs(String path, Pointer buf);
        @SaveError int statvfs64(String path, Pointer buf);
        @SaveError int uname(Pointer buf);
        @SaveError int getifaddrs(PointerByReference ifap);
        void freeifaddrs(Pointer ifa);
        @SaveError @ssize_t long write(int fd, byte[] buf, @size_t long count);
        @SaveError int open(String path, int flags);
        @SaveError int ioctl(int fd, long request, Pointer arg);
        @SaveError int settimeofday(Pointer tv, Pointer tz);
        @SaveError int dup2(int oldfd, int newfd);
    }

    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int FD_CLOEXEC = 1;
    private static final int O_NONBLOCK = 04000;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 1;
    private static final int STATX_SIZE = 256;
    private static final int STATX_MODE_OFFSET = 28;
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_PEERCRED = 17;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int SOCKADDR_MAX = 128;
    private static final int ENOTSOCK = 88;
    /** {@code struct statvfs} is comfortably smaller than this on every Linux ABI. */
    private static final int STATVFS_SIZE = 256;
    /** Linux's {@code _UTSNAME_LENGTH}: each {@code struct utsname} field is this many bytes. */
    private static final int UTSNAME_FIELD = 65;
    private static final int UTSNAME_FIELDS = 6;
    private static final int EINTR = 4;
    private static final int STATX_INO = 0x100;
    private static final int STATX_INO_OFFSET = 32;
    private static final int STATX_DEV_MAJOR_OFFSET = 136;
    private static final int STATX_DEV_MINOR_OFFSET = 140;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_RDONLY = 0;
    private static final int SOCK_CLOEXEC = 02000000;
    // _IOWR('X', 119, int), _IOWR('X', 120, int), _IOWR('X', 121, struct fstrim_range) from linux/fs.h.
    private static final long FIFREEZE = 0xC0045877L;
    private static final long FITHAW = 0xC0045878L;
    private static final long FITRIM = 0xC0185879L;
    /** struct fstrim_range { __u64 start, len, minlen; }. */
    private static final int FSTRIM_RANGE_SIZE = 24;
    /** struct timeval { time_t tv_sec; suseconds_t tv_usec; } on a 64-bit Linux. */
    private static final int TIMEVAL_SIZE = 16;

    /** The kernel's own answers about fds, which need no libc: activation proves its fds through these. */
    private final ProcFds proc;
    /** libc, bound on the first call that needs it: a socket-activated start proves its fds without it. */
    private volatile Binding binding;
    /** Bound on first use: only the character-device channels need it. */
    private volatile NativeDevices devices;

    private record Binding(LibC libc, Runtime runtime) {
    }

    NativePosix() {
        this(new ProcFds(ProcFds.SELF));
    }

    /** With a {@link ProcFds} that answers nothing, every answer is libc's: how tests compare the two. */
    NativePosix(ProcFds proc) {
        this.proc = proc;
    }

    private Binding binding() {
        Binding b = binding;
        if (b == null) {
            synchronized (this) {
                b = binding;
                if (b == null) {
                    LibC libc = LibraryLoader.create(LibC.class).load("c");
                    b = new Binding(libc, Runtime.getRuntime(libc));
                    binding = b;
                }
            }
        }
        return b;
    }

    private LibC libc() {
        return binding().libc();
    }

    private Runtime runtime() {
        return binding().runtime();
    }

    private int errno() {
        return runtime().getLastError();
    }

    private PosixException failure(String call, int errno) {
        return new PosixException(call + ": " + strerror(errno), errno);
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public boolean isOpen(int fd) {
        Optional<Boolean> open = proc.isOpen(fd);
        if (open.isPresent()) {
            return open.get();
        }
        return libc().fcntl(fd, F_GETFD, 0) >= 0;
    }

    @Override
    public FileType fileType(int fd) throws PosixException {
        Optional<FileType> known = proc.fileType(fd);
        if (known.isPresent()) {
            return known.get();
        }
        Pointer buf = Memory.allocateDirect(runtime(), STATX_SIZE, true);
        if (libc().statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, buf) != 0) {
            throw failure("fstat(fd " + fd + ")", errno());
        }
        return FileType.ofMode(buf.getShort(STATX_MODE_OFFSET) & 0xFFFF);
    }

    private int intOption(int fd, int option, String name) throws PosixException {
        Pointer value = Memory.allocateDirect(runtime(), 4, true);
        IntByReference len = new IntByReference(4);
        if (libc().getsockopt(fd, SOL_SOCKET, option, value, len) != 0) {
            throw failure("getsockopt(fd " + fd + ", " + name + ")", errno());
        }
        return value.getInt(0);
    }

    @Override
    public SocketInfo socketInfo(int fd) throws PosixException {
        Optional<SocketInfo> unix = proc.unixSocketInfo(fd);
        if (unix.isPresent()) {
            return unix.get();
        }
        FileType type = fileType(fd);
        if (type != FileType.SOCKET) {
            throw new PosixException("fd " + fd + " is a " + type + ", not a socket", ENOTSOCK);
        }
        int family = intOption(fd, SO_DOMAIN, "SO_DOMAIN");
        int sockType = intOption(fd, SO_TYPE, "SO_TYPE");
        boolean listening = intOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0;
        Pointer addr = Memory.allocateDirect(runtime(), SOCKADDR_MAX, true);
        IntByReference len = new IntByReference(SOCKADDR_MAX);
        if (libc().getsockname(fd, addr, len) != 0) {
            throw failure("getsockname(fd " + fd + ")", errno());
        }
        byte[] raw = new byte[Math.min(len.intValue(), SOCKADDR_MAX)];
        addr.get(0, raw, 0, raw.length);
        Pointer peer = Memory.allocateDirect(runtime(), SOCKADDR_MAX, true);
        IntByReference peerLen = new IntByReference(SOCKADDR_MAX);
        boolean connected = libc().getpeername(fd, peer, peerLen) == 0;
        int flags = libc().fcntl(fd, F_GETFL, 0);
        boolean nonBlocking = flags >= 0 && (flags & O_NONBLOCK) != 0;
        return new SocketInfo(fd, SocketFamily.of(family), family, SocketType.of(sockType), listening, connected,
                SocketAddresses.describe(raw), nonBlocking);
    }

    @Override
    public PeerCredentials peerCredentials(int fd) throws PosixException {
        Pointer value = Memory.allocateDirect(runtime(), 12, true);
        IntByReference len = new IntByReference(12);
        if (libc().getsockopt(fd, SOL_SOCKET, SO_PEERCRED, value, len) != 0) {
            throw failure("getsockopt(fd " + fd + ", SO_PEERCRED)", errno());
        }
        return new PeerCredentials(value.getInt(0), Integer.toUnsignedLong(value.getInt(4)),
                Integer.toUnsignedLong(value.getInt(8)));
    }

    @Override
    public void setCloseOnExec(int fd) throws PosixException {
        int flags = libc().fcntl(fd, F_GETFD, 0);
        if (flags < 0) {
            throw failure("fcntl(fd " + fd + ", F_GETFD)", errno());
        }
        if ((flags & FD_CLOEXEC) == 0 && libc().fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
            throw failure("fcntl(fd " + fd + ", F_SETFD, FD_CLOEXEC)", errno());
        }
    }

    @Override
    public boolean isCloseOnExec(int fd) throws PosixException {
        Optional<Boolean> known = proc.isCloseOnExec(fd);
        if (known.isPresent()) {
            return known.get();
        }
        int flags = libc().fcntl(fd, F_GETFD, 0);
        if (flags < 0) {
            throw failure("fcntl(fd " + fd + ", F_GETFD)", errno());
        }
        return (flags & FD_CLOEXEC) != 0;
    }

    @Override
    public boolean isatty(int fd) {
        Optional<Boolean> known = proc.isatty(fd);
        if (known.isPresent()) {
            return known.get();
        }
        return libc().isatty(fd) == 1;
    }

    @Override
    public void unsetenv(String name) throws PosixException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (libc().unsetenv(Arrays.copyOf(bytes, bytes.length + 1)) != 0) {
            throw failure("unsetenv(" + name + ")", errno());
        }
    }

    @Override
    public void close(int fd) throws PosixException {
        if (libc().close(fd) != 0) {
            throw failure("close(fd " + fd + ")", errno());
        }
    }

    @Override
    public AcceptedSocket accept(int fd) throws PosixException {
        Pointer addr = Memory.allocateDirect(runtime(), SOCKADDR_MAX, true);
        IntByReference len = new IntByReference(SOCKADDR_MAX);
        // SOCK_CLOEXEC: the connection is never inherited by a guest-exec child, not even for the instant a
        // separate fcntl would take.
        int conn = libc().accept4(fd, addr, len, SOCK_CLOEXEC);
        if (conn < 0) {
            throw failure("accept4(fd " + fd + ")", errno());
        }
        return new AcceptedSocket(conn, describe(addr, len));
    }

    @Override
    public void shutdown(int fd, int how) throws PosixException {
        if (libc().shutdown(fd, how) != 0) {
            String dir = how == SHUT_RD ? "SHUT_RD" : how == SHUT_WR ? "SHUT_WR" : how == SHUT_RDWR ? "SHUT_RDWR"
                    : Integer.toString(how);
            throw failure("shutdown(fd " + fd + ", " + dir + ")", errno());
        }
    }

    @Override
    public String peerAddress(int fd) throws PosixException {
        Pointer addr = Memory.allocateDirect(runtime(), SOCKADDR_MAX, true);
        IntByReference len = new IntByReference(SOCKADDR_MAX);
        if (libc().getpeername(fd, addr, len) != 0) {
            throw failure("getpeername(fd " + fd + ")", errno());
        }
        return describe(addr, len);
    }

    /** The address the kernel wrote ({@code len} may exceed the buffer when it was truncated). */
    private static String describe(Pointer addr, IntByReference len) {
        byte[] raw = new byte[Math.min(Math.max(len.intValue(), 0), SOCKADDR_MAX)];
        addr.get(0, raw, 0, raw.length);
        return SocketAddresses.describe(raw);
    }

    @Override
    public String strerror(int errno) {
        String s = libc().strerror(errno);
        return s == null ? "errno " + errno : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Override
    public StatVfs statvfs(String path) throws PosixException {
        Pointer buf = Memory.allocateDirect(runtime(), STATVFS_SIZE, true);
        int word = runtime().addressSize();
        if (word == 8) {
            // LP64: unsigned long f_bsize, f_frsize; fsblkcnt_t f_blocks, f_bfree, f_bavail (all 8 bytes).
            if (libc().statvfs(path, buf) != 0) {
                throw failure("statvfs(\"" + path + "\")", errno());
            }
            return new StatVfs(buf.getLong(8), buf.getLong(16), buf.getLong(24), buf.getLong(32));
        }
        // ILP32: struct statvfs64 has 4-byte f_bsize and f_frsize, then 64-bit counts from offset 8.
        if (libc().statvfs64(path, buf) != 0) {
            throw failure("statvfs(\"" + path + "\")", errno());
        }
        return new StatVfs(Integer.toUnsignedLong(buf.getInt(4)), buf.getLong(8), buf.getLong(16), buf.getLong(24));
    }

    @Override
    public Utsname uname() throws PosixException {
        Pointer buf = Memory.allocateDirect(runtime(), UTSNAME_FIELD * UTSNAME_FIELDS, true);
        if (libc().uname(buf) != 0) {
            throw failure("uname()", errno());
        }
        String[] f = new String[5];
        for (int i = 0; i < f.length; i++) {
            f[i] = cString(buf, (long) i * UTSNAME_FIELD, UTSNAME_FIELD);
        }
        return new Utsname(f[0], f[1], f[2], f[3], f[4]);
    }

    private static String cString(Pointer p, long offset, int max) {
        byte[] raw = new byte[max];
        p.get(offset, raw, 0, max);
        int n = 0;
        while (n < max && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public List<InterfaceAddress> interfaceAddresses() throws PosixException {
        PointerByReference head = new PointerByReference();
        if (libc().getifaddrs(head) != 0) {
            throw failure("getifaddrs()", errno());
        }
        Pointer first = head.getValue();
        // struct ifaddrs { next; char *name; unsigned flags; sockaddr *addr; sockaddr *netmask; ... }: with the
        // padding after flags, addr is the fourth pointer-sized slot on both ILP32 and LP64.
        int word = runtime().addressSize();
        List<InterfaceAddress> list = new ArrayList<>();
        try {
            for (Pointer ifa = first; ifa != null && ifa.address() != 0; ifa = ifa.getPointer(0)) {
                Pointer name = ifa.getPointer(word);
                Pointer addr = ifa.getPointer(3L * word);
                Pointer mask = ifa.getPointer(4L * word);
                int family = addr == null || addr.address() == 0 ? -1 : addr.getShort(0) & 0xFFFF;
                list.add(new InterfaceAddress(name == null ? "" : name.getString(0), family,
                        sockaddrBytes(addr, family), sockaddrBytes(mask, family)));
            }
        } finally {
            if (first != null && first.address() != 0) {
                libc().freeifaddrs(first);
            }
        }
        return list;
    }

    /** The address bytes of a {@code sockaddr_in} (offset 4) or {@code sockaddr_in6} (offset 8). */
    private static byte[] sockaddrBytes(Pointer sa, int family) {
        if (sa == null || sa.address() == 0) {
            return new byte[0];
        }
        byte[] out;
        if (family == InterfaceAddress.AF_INET) {
            out = new byte[4];
            sa.get(4, out, 0, 4);
        } else if (family == InterfaceAddress.AF_INET6) {
            out = new byte[16];
            sa.get(8, out, 0, 16);
        } else {
            out = new byte[0];
        }
        return out;
    }

    @Override
    public FileKey fileKey(int fd) throws PosixException {
        Optional<FileKey> known = proc.fileKey(fd);
        if (known.isPresent()) {
            return known.get();
        }
        Pointer buf = Memory.allocateDirect(runtime(), STATX_SIZE, true);
        if (libc().statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_INO, buf) != 0) {
            throw failure("fstat(fd " + fd + ")", errno());
        }
        return new FileKey(Integer.toUnsignedLong(buf.getInt(STATX_DEV_MAJOR_OFFSET)),
                Integer.toUnsignedLong(buf.getInt(STATX_DEV_MINOR_OFFSET)), buf.getLong(STATX_INO_OFFSET));
    }

    @Override
    public void write(int fd, byte[] bytes) throws PosixException {
        int done = 0;
        while (done < bytes.length) {
            byte[] rest = done == 0 ? bytes : Arrays.copyOfRange(bytes, done, bytes.length);
            long n = libc().write(fd, rest, rest.length);
            if (n < 0) {
                int e = errno();
                if (e == EINTR) {
                    continue;
                }
                throw failure("write(fd " + fd + ")", e);
            }
            done += (int) n;
        }
    }

    @Override
    public void redirectToDevNull(int fd) throws PosixException {
        int devNull = libc().open("/dev/null", O_RDWR | O_CLOEXEC);
        if (devNull < 0) {
            throw failure("open(/dev/null)", errno());
        }
        try {
            if (devNull == fd) {
                // fd was closed and open() reused its number: it must not stay close-on-exec like a private fd.
                if (libc().fcntl(fd, F_SETFD, 0) < 0) {
                    throw failure("fcntl(fd " + fd + ", F_SETFD, 0)", errno());
                }
            } else if (libc().dup2(devNull, fd) < 0) {
                throw failure("dup2(/dev/null, fd " + fd + ")", errno());
            }
        } finally {
            if (devNull != fd) {
                libc().close(devNull);
            }
        }
    }

    @Override
    public int openReadOnly(String path) throws PosixException {
        int fd = libc().open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open(" + path + ")", errno());
        }
        return fd;
    }

    @Override
    public void freezeFilesystem(int fd) throws PosixException {
        if (libc().ioctl(fd, FIFREEZE, null) != 0) {
            throw failure("ioctl(fd " + fd + ", FIFREEZE)", errno());
        }
    }

    @Override
    public void thawFilesystem(int fd) throws PosixException {
        if (libc().ioctl(fd, FITHAW, null) != 0) {
            throw failure("ioctl(fd " + fd + ", FITHAW)", errno());
        }
    }

    @Override
    public TrimmedRange trimFilesystem(int fd, long minimumBytes) throws PosixException {
        Pointer range = Memory.allocateDirect(runtime(), FSTRIM_RANGE_SIZE, true);
        range.putLong(0, 0);
        range.putLong(8, -1L); // ULLONG_MAX: the whole filesystem
        range.putLong(16, minimumBytes);
        if (libc().ioctl(fd, FITRIM, range) != 0) {
            throw failure("ioctl(fd " + fd + ", FITRIM)", errno());
        }
        return new TrimmedRange(range.getLong(8), range.getLong(16));
    }

    @Override
    public void setTimeOfDay(long seconds, long microseconds) throws PosixException {
        Pointer tv = Memory.allocateDirect(runtime(), TIMEVAL_SIZE, true);
        tv.putLong(0, seconds);
        tv.putLong(8, microseconds);
        if (libc().settimeofday(tv, null) != 0) {
            throw failure("settimeofday(" + seconds + "." + microseconds + ")", errno());
        }
    }

    // Character devices and terminals, in NativeDevices.

    private NativeDevices devices() {
        NativeDevices d = devices;
        if (d == null) {
            synchronized (this) {
                d = devices;
                if (d == null) {
                    d = new NativeDevices(this);
                    devices = d;
                }
            }
        }
        return d;
    }

    @Override
    public int openDevice(String path) throws PosixException {
        return devices().openDevice(path);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws PosixException {
        return devices().read(fd, buf, off, len);
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws PosixException {
        return devices().write(fd, buf, off, len);
    }

    @Override
    public int[] poll(int[] fds, int[] events, int timeoutMillis) throws PosixException {
        return devices().poll(fds, events, timeoutMillis);
    }

    @Override
    public int[] pipe() throws PosixException {
        return devices().pipe();
    }

    @Override
    public void makeRawSerial(int fd) throws PosixException {
        devices().makeRawSerial(fd);
    }

    @Override
    public PseudoTerminal openPseudoTerminal() throws PosixException {
        return devices().openPseudoTerminal();
    }
}
