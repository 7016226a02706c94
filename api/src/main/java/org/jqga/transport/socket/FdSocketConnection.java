package org.jqga.transport.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import org.jqga.api.Connection;
import org.jqga.api.Peer;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * A stream socket connection (AF_UNIX or TCP) on a descriptor of our own (accepted, or handed over by the
 * supervisor), read and written with {@link Posix} calls. The descriptor is normally blocking; one that a supervisor passed non-blocking is waited on
 * with {@code poll} instead of spinning on {@code EAGAIN}. {@link #close()} shuts the socket down before the number
 * is released, which wakes a session blocked in {@code read} (closing alone would leave it blocked on Linux).
 *
 * <p>A write to a peer that has gone fails with {@code EPIPE}: the JVM ignores {@code SIGPIPE}, as the JDK's own
 * sockets rely on.
 */
public final class FdSocketConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(FdSocketConnection.class.getName());
    private final Posix posix;
    private final FdGuard guard;
    private final Peer peer;
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    /** {@code kind} names the socket in messages: {@code "TCP connection"}, {@code "AF_UNIX connection"}. */
    public FdSocketConnection(Posix posix, int fd, Peer peer, String kind) {
        this.posix = posix;
        this.peer = peer;
        this.guard = new FdGuard(posix, fd, kind + " from " + peer.description() + " (fd " + fd + ")");
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public Peer peer() {
        return peer;
    }

    /** {@code shutdown(SHUT_RD)}: what has arrived is still read, then end of stream. */
    @Override
    public void stopReading() {
        int fd;
        try {
            fd = guard.acquire();
        } catch (IOException e) {
            return; // closed already: nothing is read any more
        }
        try {
            posix.shutdown(fd, Posix.SHUT_RD);
        } catch (PosixException e) {
            LOG.log(Level.DEBUG, () -> guard + ": shutdown(SHUT_RD) failed (" + e.getMessage() + "); closing");
            guard.release();
            close();
            return;
        }
        guard.release();
    }

    @Override
    public void close() {
        guard.close(() -> {
            try {
                posix.shutdown(guard.fd(), Posix.SHUT_RDWR);
            } catch (PosixException e) {
                // ENOTCONN: the peer reset the connection already; either way the descriptor is released next.
                LOG.log(Level.DEBUG, () -> guard + ": " + e.getMessage());
            }
        });
    }

    @Override
    public String toString() {
        return "connection from " + peer;
    }

    /** Waits until {@code fd} is ready for {@code events} (after {@code EAGAIN} on a non-blocking descriptor). */
    private void await(int fd, int events) throws PosixException {
        while (posix.poll(new int[] {fd}, new int[] {events}, -1)[0] == 0) {
            // a signal interrupted poll: wait again
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int fd = guard.acquire();
            try {
                int n = retrying(fd, Posix.POLLIN, f -> posix.read(f, b, off, len));
                return n == 0 ? -1 : n;
            } finally {
                guard.release();
            }
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Every byte, or an exception: a short write is continued, {@code EINTR} retried. */
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            int fd = guard.acquire();
            try {
                int done = 0;
                while (done < len) {
                    int from = off + done;
                    int left = len - done;
                    done += retrying(fd, Posix.POLLOUT, f -> posix.write(f, b, from, left));
                }
            } finally {
                guard.release();
            }
        }
    }

    private interface FdCall {
        int on(int fd) throws PosixException;
    }

    /**
     * {@code call}, retried after {@code EINTR} and, once {@code fd} is ready for {@code events}, after
     * {@code EAGAIN}.
     */
    private int retrying(int fd, int events, FdCall call) throws IOException {
        while (true) {
            try {
                return call.on(fd);
            } catch (PosixException e) {
                if (e.errno() == PosixException.EINTR) {
                    continue;
                }
                if (e.errno() == PosixException.EAGAIN) {
                    await(fd, events);
                    continue;
                }
                throw new IOException(guard + ": " + e.getMessage(), e);
            }
        }
    }
}
