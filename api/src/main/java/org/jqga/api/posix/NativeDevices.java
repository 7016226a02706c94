package org.jqga.api.posix;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The character-device half of {@link NativePosix}: open, read, write, poll, pipe, termios, pseudo-terminals.
 * Kept apart from the fd-inspection calls so each file stays about one thing. Constants are the generic Linux
 * ABI (x86, arm, riscv); alpha, mips, powerpc and sparc number some termios and open flags differently.
 */
final class NativeDevices {
    /** libc as seen by this class; errno is saved after each call. */
    public interface LibC {
        @SaveError int open(String path, int flags);
        @SaveError long read(int fd, Pointer buf, long count);
        @SaveError long write(int fd, Pointer buf, long count);
        @SaveError int poll(Pointer fds, long nfds, int timeout);
        @SaveError int pipe2(Pointer fds, int flags);
        @SaveError int tcgetattr(int fd, Pointer termios);
        @SaveError int tcsetattr(int fd, int optionalActions, Pointer termios);
        @SaveError int tcflush(int fd, int queueSelector);
        @SaveError int posix_openpt(int flags);
        @SaveError int grantpt(int fd);
        @SaveError int unlockpt(int fd);
        @SaveError int ptsname_r(int fd, Pointer buf, long buflen);
        @SaveError int close(int fd);
    }

    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int POLLFD_SIZE = 8;
    /** {@code struct termios} is 60 bytes on Linux; the buffer is generous. */
    private static final int TERMIOS_SIZE = 128;
    private static final int C_IFLAG = 0;
    private static final int C_OFLAG = 4;
    private static final int C_CFLAG = 8;
    private static final int C_LFLAG = 12;
    private static final int C_CC = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final int IGNBRK = 01;
    private static final int BRKINT = 02;
    private static final int IGNPAR = 04;
    private static final int PARMRK = 010;
    private static final int INPCK = 020;
    private static final int ISTRIP = 040;
    private static final int INLCR = 0100;
    private static final int IGNCR = 0200;
    private static final int ICRNL = 0400;
    private static final int IXON = 02000;
    private static final int IXANY = 04000;
    private static final int IXOFF = 010000;
    private static final int IMAXBEL = 020000;
    private static final int B38400 = 017;
    private static final int TCSANOW = 0;
    private static final int TCIFLUSH = 0;
    private static final int PATH_MAX = 4096;

    /** The most one read or write moves: a session's buffer size, so a request or reply never needs more calls. */
    private static final int IO_CHUNK = 64 * 1024;

    private final LibC libc;
    private final Runtime runtime;
    private final NativePosix posix;
    /** Each thread's native buffer for read and write; freed with the thread's garbage. */
    private final ThreadLocal<Pointer> ioBuffer;

    NativeDevices(NativePosix posix) {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
        this.posix = posix;
        this.ioBuffer = ThreadLocal.withInitial(() -> Memory.allocateDirect(runtime, IO_CHUNK));
    }

    private PosixException failure(String call) {
        int errno = runtime.getLastError();
        return new PosixException(call + ": " + posix.strerror(errno), errno);
    }

    int openDevice(String path) throws PosixException {
        int fd = libc.open(path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open(\"" + path + "\")");
        }
        return fd;
    }

    /**
     * At most {@link #IO_CHUNK} bytes through this thread's native buffer: allocating native memory per call cost
     * a malloc, a free left to the garbage collector and, for one large reply, as much native memory again.
     */
    int read(int fd, byte[] buf, int off, int len) throws PosixException {
        int chunk = Math.min(len, IO_CHUNK);
        Pointer mem = ioBuffer.get();
        long n = libc.read(fd, mem, chunk);
        if (n < 0) {
            throw failure("read(fd " + fd + ")");
        }
        mem.get(0, buf, off, (int) n);
        return (int) n;
    }

    /** At most {@link #IO_CHUNK} bytes, as {@link #read}: a short count that the caller continues. */
    int write(int fd, byte[] buf, int off, int len) throws PosixException {
        int chunk = Math.min(len, IO_CHUNK);
        Pointer mem = ioBuffer.get();
        mem.put(0, buf, off, chunk);
        long n = libc.write(fd, mem, chunk);
        if (n < 0) {
            throw failure("write(fd " + fd + ")");
        }
        return (int) n;
    }

    int[] poll(int[] fds, int[] events, int timeoutMillis) throws PosixException {
        if (fds.length != events.length) {
            throw new IllegalArgumentException(fds.length + " fds but " + events.length + " event masks");
        }
        Pointer mem = Memory.allocateDirect(runtime, POLLFD_SIZE * Math.max(fds.length, 1), true);
        for (int i = 0; i < fds.length; i++) {
            mem.putInt((long) i * POLLFD_SIZE, fds[i]);
            mem.putShort((long) i * POLLFD_SIZE + 4, (short) events[i]);
        }
        int[] revents = new int[fds.length];
        if (libc.poll(mem, fds.length, timeoutMillis) < 0) {
            int errno = runtime.getLastError();
            if (errno == PosixException.EINTR) {
                return revents; // a signal: nothing happened, the caller looks again
            }
            throw new PosixException("poll(fds " + java.util.Arrays.toString(fds) + "): " + posix.strerror(errno),
                    errno);
        }
        for (int i = 0; i < fds.length; i++) {
            revents[i] = mem.getShort((long) i * POLLFD_SIZE + 6) & 0xFFFF;
        }
        return revents;
    }

    int[] pipe() throws PosixException {
        Pointer mem = Memory.allocateDirect(runtime, 8, true);
        if (libc.pipe2(mem, O_CLOEXEC | O_NONBLOCK) != 0) {
            throw failure("pipe2()");
        }
        return new int[] {mem.getInt(0), mem.getInt(4)};
    }

    void makeRawSerial(int fd) throws PosixException {
        Pointer tio = Memory.allocateDirect(runtime, TERMIOS_SIZE, true);
        if (libc.tcgetattr(fd, tio) != 0) {
            throw failure("tcgetattr(fd " + fd + ")");
        }
        int iflag = tio.getInt(C_IFLAG);
        iflag &= ~(IGNBRK | BRKINT | IGNPAR | PARMRK | INPCK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF
                | IXANY | IMAXBEL);
        tio.putInt(C_IFLAG, iflag);
        tio.putInt(C_OFLAG, 0);
        tio.putInt(C_LFLAG, 0);
        tio.putInt(C_CFLAG, tio.getInt(C_CFLAG) | B38400);
        tio.putByte(C_CC + VMIN, (byte) 1);
        tio.putByte(C_CC + VTIME, (byte) 0);
        // Whatever is waiting to be read was sent to a previous reader (or is line noise): drop it.
        if (libc.tcflush(fd, TCIFLUSH) != 0) {
            throw failure("tcflush(fd " + fd + ", TCIFLUSH)");
        }
        if (libc.tcsetattr(fd, TCSANOW, tio) != 0) {
            throw failure("tcsetattr(fd " + fd + ", TCSANOW)");
        }
    }

    PseudoTerminal openPseudoTerminal() throws PosixException {
        int master = libc.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0) {
            throw failure("posix_openpt()");
        }
        try {
            if (libc.grantpt(master) != 0) {
                throw failure("grantpt(fd " + master + ")");
            }
            if (libc.unlockpt(master) != 0) {
                throw failure("unlockpt(fd " + master + ")");
            }
            Pointer name = Memory.allocateDirect(runtime, PATH_MAX, true);
            int rc = libc.ptsname_r(master, name, PATH_MAX);
            if (rc != 0) {
                throw new PosixException("ptsname_r(fd " + master + "): " + posix.strerror(rc), rc);
            }
            return new PseudoTerminal(master, name.getString(0));
        } catch (PosixException e) {
            libc.close(master);
            throw e;
        }
    }
}
