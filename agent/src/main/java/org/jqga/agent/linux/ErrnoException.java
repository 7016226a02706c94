package org.jqga.agent.linux;

/** A system call failed; {@link #getMessage()} is {@code strerror(errno)}, as qemu-ga appends it to its errors. */
public final class ErrnoException extends Exception {
    private final int errno;

    public ErrnoException(int errno, String strerror) {
        super(strerror);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
