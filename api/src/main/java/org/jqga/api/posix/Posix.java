package org.jqga.api.posix;

/**
 * The system calls an activation provider needs and the JDK does not offer. An interface so that seams can be
 * unit-tested; {@link #load()} gives the real one.
 */
public interface Posix {
    /** Binds libc through jnr-ffi. */
    static Posix load() {
        return new NativePosix();
    }

    /** {@code getpid()}. */
    long pid();

    /** Whether {@code fd} is an open descriptor ({@code fcntl(F_GETFD)} succeeds). */
    boolean isOpen(int fd);

    /** The file type of an open fd ({@code statx} with {@code AT_EMPTY_PATH}). */
    FileType fileType(int fd) throws PosixException;

    /** Inspects a socket fd; fails with {@code ENOTSOCK} for anything else. */
    SocketInfo socketInfo(int fd) throws PosixException;

    /** {@code SO_PEERCRED} of a connected AF_UNIX socket. */
    PeerCredentials peerCredentials(int fd) throws PosixException;

    /** Sets {@code FD_CLOEXEC}, keeping the other fd flags. */
    void setCloseOnExec(int fd) throws PosixException;

    /** Whether {@code FD_CLOEXEC} is set. */
    boolean isCloseOnExec(int fd) throws PosixException;

    /** {@code isatty()}. */
    boolean isatty(int fd);

    /** {@code unsetenv()}: call before other threads start, it is not thread-safe in libc. */
    void unsetenv(String name) throws PosixException;

    /** {@code close()}. */
    void close(int fd) throws PosixException;

    /** {@code shutdown} directions. */
    int SHUT_RD = 0;
    int SHUT_WR = 1;
    int SHUT_RDWR = 2;

    /**
     * {@code accept4(fd, &addr, &len, SOCK_CLOEXEC)} on a listening socket: the connection and its peer's address.
     * Blocks when the listener is blocking; every error ({@code EAGAIN} on a non-blocking listener, {@code EINTR},
     * {@code ECONNABORTED} ...) is thrown with its errno for the caller to judge.
     */
    AcceptedSocket accept(int fd) throws PosixException;

    /** {@code shutdown(fd, how)} with {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    void shutdown(int fd, int how) throws PosixException;

    /** {@code getpeername()} in systemd's notation ({@code 127.0.0.1:54321}); {@code ENOTCONN} if not connected. */
    String peerAddress(int fd) throws PosixException;

    /** {@code strerror(errno)}. */
    String strerror(int errno);

    /** {@code statvfs(3)} of the filesystem holding {@code path}. */
    StatVfs statvfs(String path) throws PosixException;

    /** {@code uname(2)}. */
    Utsname uname() throws PosixException;

    /** {@code getifaddrs(3)}: every entry, in the C library's order. */
    java.util.List<InterfaceAddress> interfaceAddresses() throws PosixException;

    /** The device and inode of an open fd: two fds with equal keys refer to the same file, pipe or socket. */
    FileKey fileKey(int fd) throws PosixException;

    /** {@code write()} every byte of {@code bytes} to {@code fd}. */
    void write(int fd, byte[] bytes) throws PosixException;

    /**
     * Points {@code fd} at {@code /dev/null} ({@code open} + {@code dup2}): the file it referred to loses this
     * reference, while the number stays taken, so a later {@code open} cannot land on fd 0, 1 or 2 by accident.
     */
    void redirectToDevNull(int fd) throws PosixException;
    /**
     * {@code open(path, O_RDONLY | O_CLOEXEC)}: a descriptor for the filesystem ioctls below, which qemu-ga issues
     * on a mount point's directory. Close it with {@link #close(int)}.
     */
    int openReadOnly(String path) throws PosixException;

    /** {@code ioctl(fd, FIFREEZE)}: freezes the filesystem {@code fd} is on; {@code EBUSY} if it already is. */
    void freezeFilesystem(int fd) throws PosixException;

    /** {@code ioctl(fd, FITHAW)}: thaws one freeze of that filesystem; {@code EINVAL} if it is not frozen. */
    void thawFilesystem(int fd) throws PosixException;

    /**
     * {@code ioctl(fd, FITRIM, {start 0, len ULLONG_MAX, minlen})}: discards the filesystem's unused blocks.
     * Returns what the kernel wrote back into the range.
     */
    TrimmedRange trimFilesystem(int fd, long minimumBytes) throws PosixException;

    /** {@code settimeofday(&{seconds, microseconds}, NULL)}: sets the system clock. */
    void setTimeOfDay(long seconds, long microseconds) throws PosixException;

    // Character devices and terminals: virtio-serial and isa-serial channels.

    /** {@code poll} event bits. */
    int POLLIN = 0x1;
    int POLLOUT = 0x4;
    int POLLERR = 0x8;
    int POLLHUP = 0x10;
    int POLLNVAL = 0x20;

    /** {@code open(path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)}: a device that must never become our tty. */
    int openDevice(String path) throws PosixException;

    /** {@code read()}: the byte count, 0 at end of file; {@code EAGAIN} and every other error are thrown. */
    int read(int fd, byte[] buf, int off, int len) throws PosixException;

    /** {@code write()}: the byte count written; {@code EAGAIN} is thrown. */
    int write(int fd, byte[] buf, int off, int len) throws PosixException;

    /**
     * {@code poll()} on {@code fds} for the matching {@code events}; returns each fd's {@code revents}. A signal
     * ({@code EINTR}) returns all zeros, as a timeout does.
     */
    int[] poll(int[] fds, int[] events, int timeoutMillis) throws PosixException;

    /** {@code pipe2(O_CLOEXEC | O_NONBLOCK)}: {read end, write end}. */
    int[] pipe() throws PosixException;

    /**
     * Puts a serial tty in raw mode as qemu-ga does for isa-serial: no input or output processing, no echo, no
     * flow control, {@code VMIN=1 VTIME=0}, {@code B38400} or'ed into {@code c_cflag}; pending input is flushed.
     */
    void makeRawSerial(int fd) throws PosixException;

    /** A new pseudo-terminal ({@code posix_openpt}, {@code grantpt}, {@code unlockpt}, {@code ptsname_r}). */
    PseudoTerminal openPseudoTerminal() throws PosixException;
}
