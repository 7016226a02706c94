package org.jqga.api.posix;

import java.io.IOException;

/** A system call failed; the message names the call, the fd or path, and {@code strerror(errno)}. */
public class PosixException extends IOException {
    /** errno values callers branch on (Linux numbers). */
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;

    private final int errno;

    public PosixException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
