package org.jqga.transport.socket;

import java.io.IOException;
import java.net.SocketException;
import java.util.Set;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.posix.AcceptedSocket;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * A listening stream socket on a descriptor number, accepted with {@code accept4(SOCK_CLOEXEC)} through
 * {@link Posix}: TCP listeners a supervisor passed (the JDK cannot adopt an inherited descriptor number, fd 0 aside,
 * as a {@code ServerSocketChannel}) and AF_UNIX listeners we bind (junixsocket's accept builds an address object
 * with a synthetic host name on every connection, which made a reconnecting client's connection dearer than
 * qemu-ga's).
 *
 * <p>Two kinds, as {@link Ownership} says. A listener a <em>supervisor</em> passed is shared with it (systemd keeps
 * the same open file description to start the next instance): it is never {@code shutdown()} (a shut-down listener
 * refuses every later client, also those meant for the next instance) and its file flags are never changed
 * (O_NONBLOCK belongs to the shared description). {@link #close()} releases only our descriptor, so a waiting accept
 * {@code poll}s in slices of {@link #ACCEPT_POLL_MILLIS} ms and looks at the closed flag in between. systemd passes
 * its sockets non-blocking, so a client another process took between our {@code poll} and {@code accept} (or that
 * reset its connection meanwhile) shows as {@code EAGAIN} or {@code ECONNABORTED}: not an error, we wait again.
 *
 * <p>A listener <em>we bound</em> is ours alone: several threads block in {@code accept} at once, and
 * {@link #close()} shuts it down, which makes every blocked {@code accept} return ({@code EINVAL}), then releases
 * the number and runs the owner's clean-up (removing the socket file).
 */
public final class FdListeningEndpoint implements ListeningEndpoint {
    /** How often a waiting accept on an inherited listener looks whether the endpoint was closed. */
    public static final int ACCEPT_POLL_MILLIS = 200;
    /**
     * accept errors that mean "no client after all, wait again": a race ({@code EAGAIN}), a signal, a client gone
     * before we took it, and the pending network errors that Linux reports from accept for TCP, which accept(2) says
     * to treat like {@code EAGAIN} (EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH,
     * ENETDOWN).
     */
    private static final Set<Integer> TRY_AGAIN = Set.of(PosixException.EAGAIN, PosixException.EINTR,
            PosixException.ECONNABORTED, 71, 92, 112, 64, 113, 95, 101, 100);

    /** Whose the listening socket is, which decides how accept waits and what close does. */
    public enum Ownership {
        /** Passed by a supervisor that keeps it: polled, never shut down, only our descriptor released. */
        INHERITED,
        /** Bound by us: blocking accepts from several threads, shut down on close. */
        BOUND
    }

    /** Who is on the other end of an accepted connection, and what the connection is called in messages. */
    public interface Accepted {
        Connection connection(Posix posix, AcceptedSocket socket);
    }

    private final Posix posix;
    private final FdGuard guard;
    private final String name;
    private final EndpointKind kind;
    private final String description;
    private final Ownership ownership;
    private final Accepted accepted;
    private final Runnable afterClose;

    /**
     * @param afterClose run once after the descriptor is released by {@link #close()}, e.g. removing the socket
     *                   file of a listener we bound; must not throw
     */
    public FdListeningEndpoint(Posix posix, int fd, String name, EndpointKind kind, String description,
                               Ownership ownership, Accepted accepted, Runnable afterClose) {
        this.posix = posix;
        this.guard = new FdGuard(posix, fd, description);
        this.name = name;
        this.kind = kind;
        this.description = description;
        this.ownership = ownership;
        this.accepted = accepted;
        this.afterClose = afterClose;
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            int fd = guard.acquire(); // throws once closed
            try {
                if (ownership == Ownership.INHERITED && !clientWaiting(fd)) {
                    continue; // a slice ended (or a signal): look at the closed flag again
                }
                AcceptedSocket a;
                try {
                    a = posix.accept(fd);
                } catch (PosixException e) {
                    if (guard.isClosed()) {
                        throw new SocketException(description + " is closed");
                    }
                    if (TRY_AGAIN.contains(e.errno())) {
                        continue;
                    }
                    throw new IOException(description + ": " + e.getMessage(), e);
                }
                return accepted.connection(posix, a);
            } finally {
                guard.release();
            }
        }
    }

    /** One poll slice: whether a client is waiting; an error or hang-up instead of a client is an exception. */
    private boolean clientWaiting(int fd) throws IOException {
        int revents;
        try {
            revents = posix.poll(new int[] {fd}, new int[] {Posix.POLLIN}, ACCEPT_POLL_MILLIS)[0];
        } catch (PosixException e) {
            if (e.errno() == PosixException.EINTR) {
                return false;
            }
            throw new IOException(description + ": " + e.getMessage(), e);
        }
        if (revents == 0) {
            return false;
        }
        if ((revents & Posix.POLLIN) == 0) {
            throw new IOException(description + ": poll reported " + events(revents)
                    + " instead of a client; expected a listening stream socket");
        }
        return true;
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

    /** A listener we bound: no one else accepts on it, and closing it shuts it down, which wakes every accept. */
    @Override
    public boolean acceptsConcurrently() {
        return ownership == Ownership.BOUND;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EndpointKind kind() {
        return kind;
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Stops accepting. An inherited listener keeps listening in the supervisor and only our descriptor is released
     * (within one poll slice when an accept is waiting); a listener we bound is shut down first, which returns every
     * blocked accept at once.
     */
    @Override
    public void close() {
        boolean first = guard.close(() -> {
            if (ownership == Ownership.BOUND) {
                try {
                    posix.shutdown(guard.fd(), Posix.SHUT_RDWR);
                } catch (PosixException e) {
                    System.getLogger(FdListeningEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                            "closing " + description + ": " + e.getMessage());
                }
            }
        });
        if (first) {
            afterClose.run();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
