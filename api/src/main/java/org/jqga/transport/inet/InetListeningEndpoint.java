package org.jqga.transport.inet;

import java.io.IOException;
import java.util.Set;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.Peer;
import org.jqga.api.posix.AcceptedSocket;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * An inherited AF_INET/AF_INET6 listener ({@code ListenStream=127.0.0.1:4444}, inetd {@code wait}).
 *
 * <p>The listening socket is the supervisor's: systemd keeps the same open file description to start the next
 * instance. So it is never {@code shutdown()} (a shut-down listener refuses every later client, also those meant for
 * the next instance) and its file flags are never changed (O_NONBLOCK belongs to the shared description).
 * {@link #close()} releases only our descriptor. The JDK cannot adopt an inherited descriptor number (fd 0 aside)
 * as a {@code ServerSocketChannel}, so accepting goes through {@link Posix}: {@code poll} in slices of
 * {@link #ACCEPT_POLL_MILLIS} ms, looking at the closed flag in between, then {@code accept4(SOCK_CLOEXEC)}.
 *
 * <p>systemd passes its sockets non-blocking, so a client that another process took between our {@code poll} and
 * {@code accept} (or that reset its connection meanwhile) shows as {@code EAGAIN} or {@code ECONNABORTED}: that is
 * not an error, we wait again. A listener passed blocking ({@code systemd-socket-activate} does) would block in
 * {@code accept} in that race until the next client; nobody else accepts on a socket handed to one service, so at
 * worst a close waits for that client.
 */
final class InetListeningEndpoint implements ListeningEndpoint {
    /** How often a waiting accept looks whether the endpoint was closed. */
    static final int ACCEPT_POLL_MILLIS = 200;
    /**
     * accept errors that mean "no client after all, wait again": a race ({@code EAGAIN}), a signal, a client gone
     * before we took it, and the pending network errors that Linux reports from accept for TCP, which accept(2) says
     * to treat like {@code EAGAIN} (EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH,
     * ENETDOWN).
     */
    private static final Set<Integer> TRY_AGAIN = Set.of(PosixException.EAGAIN, PosixException.EINTR,
            PosixException.ECONNABORTED, 71, 92, 112, 64, 113, 95, 101, 100);

    private final Posix posix;
    private final FdGuard guard;
    private final String name;
    private final String description;

    InetListeningEndpoint(Posix posix, int fd, String name, String description) {
        this.posix = posix;
        this.guard = new FdGuard(posix, fd, description);
        this.name = name;
        this.description = description;
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            int fd = guard.acquire(); // throws once closed
            try {
                int revents = posix.poll(new int[] {fd}, new int[] {Posix.POLLIN}, ACCEPT_POLL_MILLIS)[0];
                if (revents == 0) {
                    continue; // a slice ended (or a signal): look at the closed flag again
                }
                if ((revents & Posix.POLLIN) == 0) {
                    throw new IOException(description + ": poll reported " + events(revents)
                            + " instead of a client; expected a listening stream socket");
                }
                AcceptedSocket a;
                try {
                    a = posix.accept(fd);
                } catch (PosixException e) {
                    if (TRY_AGAIN.contains(e.errno())) {
                        continue;
                    }
                    throw new IOException(description + ": " + e.getMessage(), e);
                }
                return new InetConnection(posix, a.fd(), InetTransport.peer(a.peerAddress(), "fd " + a.fd()));
            } finally {
                guard.release();
            }
        }
    }

    private static String events(int revents) {
        StringBuilder sb = new StringBuilder();
        if ((revents & Posix.POLLERR) != 0) {
            sb.append("POLLERR ");
        }
        if ((revents & Posix.POLLHUP) != 0) {
            sb.append("POLLHUP ");
        }
        if ((revents & Posix.POLLNVAL) != 0) {
            sb.append("POLLNVAL (not an open descriptor) ");
        }
        return sb.length() == 0 ? "revents 0x" + Integer.toHexString(revents) : sb.toString().trim();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EndpointKind kind() {
        return EndpointKind.INET;
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Stops accepting and releases our descriptor (within one poll slice when an accept is waiting); the socket
     * itself stays open and listening in the supervisor.
     */
    @Override
    public void close() {
        guard.close(() -> { });
    }

    @Override
    public String toString() {
        return description;
    }
}
