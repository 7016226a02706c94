package org.jqga.api.posix;

import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/** {@link Posix} over libc with jnr-ffi. Structure offsets are for Linux; statx's layout is the same on every arch. */
final class NativePosix implements Posix {
    /** The libc functions we call; errno is saved after each so {@link Runtime#getLastError()} is reliable. */
    public interface LibC {
        @SaveError int getpid();
        @SaveError int fcntl(int fd, int cmd, int arg);
        @SaveError int statx(int dirfd, String path, int flags, int mask, Pointer buf);
        @SaveError int getsockopt(int fd, int level, int optname, Pointer optval, IntByReference optlen);
        @SaveError int getsockname(int fd, Pointer addr, IntByReference addrlen);
        @SaveError int getpeername(int fd, Pointer addr, IntByReference addrlen);
        @SaveError int isatty(int fd);
        @SaveError int unsetenv(String name);
        @SaveError int close(int fd);
        String strerror(int errnum);
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

    private final LibC libc;
    private final Runtime runtime;
    private final NativeDevices devices;

    NativePosix() {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
        this.devices = new NativeDevices(this);
    }

    private int errno() {
        return runtime.getLastError();
    }

    private PosixException failure(String call, int errno) {
        return new PosixException(call + ": " + strerror(errno), errno);
    }

    @Override
    public long pid() {
        return libc.getpid();
    }

    @Override
    public boolean isOpen(int fd) {
        return libc.fcntl(fd, F_GETFD, 0) >= 0;
    }

    @Override
    public FileType fileType(int fd) throws PosixException {
        Pointer buf = Memory.allocateDirect(runtime, STATX_SIZE, true);
        if (libc.statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, buf) != 0) {
            throw failure("fstat(fd " + fd + ")", errno());
        }
        return FileType.ofMode(buf.getShort(STATX_MODE_OFFSET) & 0xFFFF);
    }

    private int intOption(int fd, int option, String name) throws PosixException {
        Pointer value = Memory.allocateDirect(runtime, 4, true);
        IntByReference len = new IntByReference(4);
        if (libc.getsockopt(fd, SOL_SOCKET, option, value, len) != 0) {
            throw failure("getsockopt(fd " + fd + ", " + name + ")", errno());
        }
        return value.getInt(0);
    }

    @Override
    public SocketInfo socketInfo(int fd) throws PosixException {
        FileType type = fileType(fd);
        if (type != FileType.SOCKET) {
            throw new PosixException("fd " + fd + " is a " + type + ", not a socket", ENOTSOCK);
        }
        int family = intOption(fd, SO_DOMAIN, "SO_DOMAIN");
        int sockType = intOption(fd, SO_TYPE, "SO_TYPE");
        boolean listening = intOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0;
        Pointer addr = Memory.allocateDirect(runtime, SOCKADDR_MAX, true);
        IntByReference len = new IntByReference(SOCKADDR_MAX);
        if (libc.getsockname(fd, addr, len) != 0) {
            throw failure("getsockname(fd " + fd + ")", errno());
        }
        byte[] raw = new byte[Math.min(len.intValue(), SOCKADDR_MAX)];
        addr.get(0, raw, 0, raw.length);
        Pointer peer = Memory.allocateDirect(runtime, SOCKADDR_MAX, true);
        IntByReference peerLen = new IntByReference(SOCKADDR_MAX);
        boolean connected = libc.getpeername(fd, peer, peerLen) == 0;
        int flags = libc.fcntl(fd, F_GETFL, 0);
        boolean nonBlocking = flags >= 0 && (flags & O_NONBLOCK) != 0;
        return new SocketInfo(fd, SocketFamily.of(family), family, SocketType.of(sockType), listening, connected,
                SocketAddresses.describe(raw), nonBlocking);
    }

    @Override
    public PeerCredentials peerCredentials(int fd) throws PosixException {
        Pointer value = Memory.allocateDirect(runtime, 12, true);
        IntByReference len = new IntByReference(12);
        if (libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, value, len) != 0) {
            throw failure("getsockopt(fd " + fd + ", SO_PEERCRED)", errno());
        }
        return new PeerCredentials(value.getInt(0), Integer.toUnsignedLong(value.getInt(4)),
                Integer.toUnsignedLong(value.getInt(8)));
    }

    @Override
    public void setCloseOnExec(int fd) throws PosixException {
        int flags = libc.fcntl(fd, F_GETFD, 0);
        if (flags < 0) {
            throw failure("fcntl(fd " + fd + ", F_GETFD)", errno());
        }
        if ((flags & FD_CLOEXEC) == 0 && libc.fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
            throw failure("fcntl(fd " + fd + ", F_SETFD, FD_CLOEXEC)", errno());
        }
    }

    @Override
    public boolean isCloseOnExec(int fd) throws PosixException {
        int flags = libc.fcntl(fd, F_GETFD, 0);
        if (flags < 0) {
            throw failure("fcntl(fd " + fd + ", F_GETFD)", errno());
        }
        return (flags & FD_CLOEXEC) != 0;
    }

    @Override
    public boolean isatty(int fd) {
        return libc.isatty(fd) == 1;
    }

    @Override
    public void unsetenv(String name) throws PosixException {
        if (libc.unsetenv(name) != 0) {
            throw failure("unsetenv(" + name + ")", errno());
        }
    }

    @Override
    public void close(int fd) throws PosixException {
        if (libc.close(fd) != 0) {
            throw failure("close(fd " + fd + ")", errno());
        }
    }

    @Override
    public String strerror(int errno) {
        String s = libc.strerror(errno);
        return s == null ? "errno " + errno : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    // Character devices and terminals, in NativeDevices.

    @Override
    public int openDevice(String path) throws PosixException {
        return devices.openDevice(path);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws PosixException {
        return devices.read(fd, buf, off, len);
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws PosixException {
        return devices.write(fd, buf, off, len);
    }

    @Override
    public int[] poll(int[] fds, int[] events, int timeoutMillis) throws PosixException {
        return devices.poll(fds, events, timeoutMillis);
    }

    @Override
    public int[] pipe() throws PosixException {
        return devices.pipe();
    }

    @Override
    public void makeRawSerial(int fd) throws PosixException {
        devices.makeRawSerial(fd);
    }

    @Override
    public PseudoTerminal openPseudoTerminal() throws PosixException {
        return devices.openPseudoTerminal();
    }
}
