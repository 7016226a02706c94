package org.jqga.api.posix;

import java.io.IOException;

/** A system call failed; the message names the call, the fd or path, and {@code strerror(errno)}. */
public class PosixException extends IOException {
    private final int errno;

    public PosixException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
