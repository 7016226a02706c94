package org.jqga.transport.socket;

import java.lang.System.Logger.Level;
import java.net.SocketException;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * One descriptor, used by some threads and closed by another. The number is released only once no call is using it:
 * the kernel hands a closed number out again at the next {@code open}, {@code accept} or {@code socket}, and a
 * thread that was about to poll, read or accept would then do so on someone else's file. So every use brackets the
 * call with {@link #acquire()}/{@link #release()}, and whoever leaves last after {@link #close} releases the number.
 */
public final class FdGuard {
    private static final System.Logger LOG = System.getLogger(FdGuard.class.getName());
    private final Posix posix;
    private final int fd;
    private final String what;
    private int users;
    private boolean closed;
    private boolean released;

    public FdGuard(Posix posix, int fd, String what) {
        this.posix = posix;
        this.fd = fd;
        this.what = what;
    }

    public int fd() {
        return fd;
    }

    /** The descriptor, held open until {@link #release()}; throws once {@link #close} was called. */
    public synchronized int acquire() throws SocketException {
        if (closed) {
            throw new SocketException(what + " is closed");
        }
        users++;
        return fd;
    }

    public void release() {
        boolean last;
        synchronized (this) {
            users--;
            last = closed && users == 0 && !released;
            if (last) {
                released = true;
            }
        }
        if (last) {
            releaseNumber();
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Marks the descriptor closed and runs {@code beforeRelease} while the number is still ours (e.g. a
     * {@code shutdown} that wakes the threads blocked on it); the number itself is released now, or by the last
     * thread still using it. Returns false, doing nothing, when it was closed already.
     */
    public boolean close(Runnable beforeRelease) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            users++; // our own use, for beforeRelease
        }
        try {
            beforeRelease.run();
        } finally {
            release();
        }
        return true;
    }

    /**
     * {@code close()}, except for 0, 1 and 2 (an inetd socket on fd 0): those are pointed at /dev/null, so the
     * socket loses our reference while the number stays taken and no later {@code open} lands on standard input or
     * output by accident.
     */
    private void releaseNumber() {
        try {
            if (fd <= 2) {
                posix.redirectToDevNull(fd);
            } else {
                posix.close(fd);
            }
        } catch (PosixException e) {
            // close() releases the number even when it reports an error (Linux); say so and go on: Endpoint and
            // Connection close must not throw.
            LOG.log(Level.WARNING, "closing " + what + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return what;
    }
}
