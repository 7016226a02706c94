package org.jqga.api.posix;

import java.io.IOException;

/** A system call failed; the message names the call, the fd or path, and {@code strerror(errno)}. */
public class PosixException extends IOException {
    /** errno values callers branch on (Linux numbers). */
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    /** The same number as {@link #EAGAIN} on Linux. */
    public static final int EWOULDBLOCK = EAGAIN;
    public static final int ENOTCONN = 107;
    public static final int ECONNABORTED = 103;

    private final int errno;

    public PosixException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
