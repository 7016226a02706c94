package org.jqga.activation.manual;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.Peer;
import org.jqga.api.StreamEndpoint;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * A virtio-serial port or a serial tty as a stream of host sessions.
 *
 * <p>A virtio-serial port is one file that outlives many host connections: while no host program is attached, a
 * read returns end-of-file at once and poll reports {@code POLLHUP} at once, so it cannot be waited on. Like
 * qemu-ga, {@link #open()} then looks again every {@link #HOST_POLL_MILLIS} ms and keeps the port open (closing it
 * would tell the host the guest went away). A session begins with the first bytes the host sends and ends at
 * end-of-file; each session gets a fresh {@link Connection}, so the server gives it a fresh framer and a half-sent
 * request from a vanished host never prefixes the next host's first request.
 *
 * <p>A tty (isa-serial, or a pseudo-terminal standing in for a port) that hangs up stays hung up: the descriptor
 * is closed and the path reopened, every {@link #REOPEN_MILLIS} ms until it can be. The same happens when a read
 * fails (the device was unplugged). The device is opened non-blocking, without becoming our controlling tty;
 * a tty is put in raw mode on every open.
 *
 * <p>All blocking happens in {@code poll} together with a wake-up pipe, so {@link #close()} (and a connection's
 * close from another thread) ends any wait at once. Every use of the descriptors holds {@link #io}, so close never
 * releases a descriptor number that another thread is about to use.
 */
final class CharDeviceEndpoint implements StreamEndpoint {
    /** qemu-ga's interval while no host is attached to a virtio-serial port. */
    static final int HOST_POLL_MILLIS = 100;
    /** Between attempts to reopen a device that hung up or vanished (qemu-ga's --retry-path waits 5 s). */
    static final int REOPEN_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger(CharDeviceEndpoint.class.getName());

    private final Posix posix;
    private final String method;
    private final String path;
    private final boolean rawTty;
    private final String description;
    private final ReentrantLock io = new ReentrantLock();
    private final int wakeRead;
    private final int wakeWrite;
    private volatile boolean closed;
    /** The open device, or -1. Guarded by {@link #io}. */
    private int fd = -1;
    /** Whether {@link #fd} is a tty: then end-of-file is a permanent hang-up. Guarded by {@link #io}. */
    private boolean tty;
    private int sessions;
    private boolean waitingLogged;

    /**
     * @param method qemu-ga's method name, for messages
     * @param rawTty put the device in raw mode (isa-serial)
     * @param fd     the device, already opened by {@link #openChecked}, or -1 to open it on the first {@link #open}
     */
    CharDeviceEndpoint(Posix posix, String method, String path, boolean rawTty, int fd) throws PosixException {
        this.posix = posix;
        this.method = method;
        this.path = path;
        this.rawTty = rawTty;
        this.description = method + " " + (rawTty ? "tty " : "port ") + path + (rawTty ? " (raw, 38400 baud)" : "");
        int[] pipe = posix.pipe();
        this.wakeRead = pipe[0];
        this.wakeWrite = pipe[1];
        if (fd >= 0) {
            this.fd = fd;
            this.tty = posix.isatty(fd);
        }
    }

    /**
     * Opens {@code path} as the channel device: read/write, non-blocking, not as controlling tty; a tty is put in
     * raw mode when {@code rawTty}. Anything but a character device is refused with its file type.
     */
    static int openChecked(Posix posix, String path, boolean rawTty) throws PosixException {
        int fd;
        try {
            fd = posix.openDevice(path);
        } catch (PosixException e) {
            throw new PosixException("error opening channel '" + path + "': " + posix.strerror(e.errno()), e.errno());
        }
        try {
            FileType type = posix.fileType(fd);
            if (type != FileType.CHARACTER_DEVICE) {
                throw new PosixException("channel '" + path + "' is a " + type + ", not a character device", 19);
            }
            if (rawTty) {
                if (!posix.isatty(fd)) {
                    throw new PosixException("channel '" + path + "' is a character device but not a tty;"
                            + " isa-serial needs a serial port (a virtio-serial port wants --method=virtio-serial)",
                            25);
                }
                posix.makeRawSerial(fd);
            }
            return fd;
        } catch (PosixException e) {
            closeQuietly(posix, fd);
            throw e;
        }
    }

    private static void closeQuietly(Posix posix, int fd) {
        try {
            posix.close(fd);
        } catch (PosixException e) {
            LOG.log(Level.DEBUG, "closing fd " + fd + ": " + e.getMessage());
        }
    }

    /** Waits for the next host session: the first bytes the host sends. Throws once the endpoint is closed. */
    @Override
    public Optional<Connection> open() throws IOException {
        io.lock();
        try {
            byte[] first = new byte[4096];
            while (true) {
                ensureOpen();
                if (fd < 0) {
                    pause(REOPEN_MILLIS);
                    continue;
                }
                int[] revents = waitFor(Posix.POLLIN, -1);
                if (revents[0] == 0) {
                    continue; // woken, or a signal
                }
                if ((revents[0] & Posix.POLLNVAL) != 0) {
                    lost("poll reported an invalid descriptor");
                    continue;
                }
                int n;
                try {
                    n = posix.read(fd, first, 0, first.length);
                } catch (PosixException e) {
                    if (e.errno() == PosixException.EAGAIN) {
                        continue; // readable a moment ago, drained since: wait again
                    }
                    lost(e.getMessage());
                    continue;
                }
                if (n == 0) {
                    if (tty) {
                        lost("the tty hung up");
                        continue;
                    }
                    pause(HOST_POLL_MILLIS); // no host attached to the port yet
                    continue;
                }
                waitingLogged = false;
                int session = ++sessions;
                LOG.log(Level.DEBUG, () -> path + ": host session " + session + " began");
                byte[] pending = java.util.Arrays.copyOf(first, n);
                return Optional.of(new DeviceConnection(session, pending));
            }
        } finally {
            io.unlock();
        }
    }

    /** Opens the device if it is not open; leaves {@link #fd} at -1 (and logs once) when it cannot be opened yet. */
    private void ensureOpen() throws IOException {
        checkNotClosed();
        if (fd >= 0) {
            return;
        }
        try {
            fd = openChecked(posix, path, rawTty);
            tty = posix.isatty(fd);
            LOG.log(Level.INFO, "opened " + description);
        } catch (PosixException e) {
            if (!waitingLogged) {
                LOG.log(Level.WARNING, e.getMessage() + "; waiting for channel path " + path + " (retrying every "
                        + REOPEN_MILLIS + " ms)");
                waitingLogged = true;
            }
        }
    }

    /** The device is unusable (hung up, unplugged): close it, to be reopened. Caller holds {@link #io}. */
    private void lost(String why) {
        LOG.log(Level.WARNING, path + ": " + why + "; closing the device and reopening it");
        closeQuietly(posix, fd);
        fd = -1;
    }

    private void checkNotClosed() throws IOException {
        if (closed) {
            throw new IOException(description + " is closed");
        }
    }

    /**
     * Polls the device for {@code events} together with the wake-up pipe. Returns the device's revents (0 when
     * only woken or timed out). Caller holds {@link #io}.
     */
    private int[] waitFor(int events, int timeoutMillis) throws IOException {
        checkNotClosed();
        int[] revents = fd >= 0
                ? posix.poll(new int[] {fd, wakeRead}, new int[] {events, Posix.POLLIN}, timeoutMillis)
                : posix.poll(new int[] {wakeRead}, new int[] {Posix.POLLIN}, timeoutMillis);
        if ((revents[revents.length - 1] & Posix.POLLIN) != 0) {
            drainWakeups();
        }
        checkNotClosed();
        return fd >= 0 ? new int[] {revents[0]} : new int[] {0};
    }

    private void pause(int millis) throws IOException {
        checkNotClosed();
        int[] revents = posix.poll(new int[] {wakeRead}, new int[] {Posix.POLLIN}, millis);
        if ((revents[0] & Posix.POLLIN) != 0) {
            drainWakeups();
        }
        checkNotClosed();
    }

    private void drainWakeups() {
        byte[] sink = new byte[64];
        try {
            while (posix.read(wakeRead, sink, 0, sink.length) > 0) {
                // keep draining
            }
        } catch (PosixException e) {
            // EAGAIN: drained.
        }
    }

    private void wakeUp() {
        try {
            posix.write(wakeWrite, new byte[] {1}, 0, 1);
        } catch (PosixException e) {
            // EAGAIN: the pipe is full of wake-ups already, which is as good.
        }
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public EndpointKind kind() {
        return EndpointKind.CHARDEV;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        wakeUp();
        io.lock();
        try {
            if (fd >= 0) {
                closeQuietly(posix, fd);
                fd = -1;
            }
            if (wakeRead >= 0) {
                closeQuietly(posix, wakeRead);
                closeQuietly(posix, wakeWrite);
            }
        } finally {
            io.unlock();
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** One host session: reads start with the bytes {@link #open()} already took; end-of-file ends it. */
    private final class DeviceConnection implements Connection {
        private final Peer peer;
        private final InputStream in = new In();
        private final OutputStream out = new Out();
        private byte[] pending;
        private int pendingOffset;
        private volatile boolean ended;

        DeviceConnection(int session, byte[] pending) {
            this.peer = Peer.unknown("host on " + method + " " + path + " (session " + session + ")");
            this.pending = pending;
        }

        @Override public InputStream in() { return in; }
        @Override public OutputStream out() { return out; }
        @Override public Peer peer() { return peer; }

        /** Ends this session; the device stays open for the next one. */
        @Override
        public void close() {
            if (!ended) {
                ended = true;
                wakeUp();
            }
        }

        @Override
        public String toString() {
            return peer.description();
        }

        private final class In extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pending != null) {
                    int n = Math.min(len, pending.length - pendingOffset);
                    System.arraycopy(pending, pendingOffset, b, off, n);
                    pendingOffset += n;
                    if (pendingOffset == pending.length) {
                        pending = null;
                    }
                    return n;
                }
                io.lock();
                try {
                    while (!ended) {
                        checkNotClosed();
                        if (fd < 0) {
                            return -1;
                        }
                        try {
                            int n = posix.read(fd, b, off, len);
                            if (n > 0) {
                                return n;
                            }
                            if (tty) {
                                lost("the tty hung up");
                            } else {
                                LOG.log(Level.DEBUG, () -> path + ": the host disconnected");
                            }
                            return -1;
                        } catch (PosixException e) {
                            if (e.errno() != PosixException.EAGAIN) {
                                lost(e.getMessage());
                                return -1;
                            }
                        }
                        waitFor(Posix.POLLIN, -1);
                    }
                    return -1;
                } finally {
                    io.unlock();
                }
            }
        }

        private final class Out extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                io.lock();
                try {
                    while (len > 0) {
                        if (ended || fd < 0) {
                            throw new IOException(peer.description() + " has ended");
                        }
                        try {
                            int n = posix.write(fd, b, off, len);
                            off += n;
                            len -= n;
                        } catch (PosixException e) {
                            if (e.errno() != PosixException.EAGAIN) {
                                throw e;
                            }
                            // The host is not reading: wait until it does (qemu-ga blocks the same way).
                            int revents = waitFor(Posix.POLLOUT, -1)[0];
                            if ((revents & (Posix.POLLHUP | Posix.POLLERR)) != 0
                                    && (revents & Posix.POLLOUT) == 0) {
                                throw new IOException(path + ": the host disconnected while a response was"
                                        + " being written");
                            }
                        }
                    }
                } finally {
                    io.unlock();
                }
            }
        }
    }
}
