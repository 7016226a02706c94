package org.jqga.transport.unix;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.Peer;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * An AF_UNIX listener, bound by us ({@code ownedPath} set: removed on close) or inherited from a supervisor.
 *
 * <p>An inherited listener is shared with the supervisor (systemd keeps its own copy to start us again), so it is
 * never unlinked and never {@code shutdown()}: a shut-down listening socket refuses every later connection, also
 * those meant for the next instance. junixsocket's {@code close()} always shuts a socket down, so an inherited
 * listener is not closed through junixsocket at all: {@link #close()} only stops accepting, {@link #accept()}
 * waits in short polls so that it notices, and the descriptor is released when the process exits.
 */
final class UnixListeningEndpoint implements ListeningEndpoint {
    private static final System.Logger LOG = System.getLogger(UnixListeningEndpoint.class.getName());
    /** How often a blocked accept on an inherited listener looks whether the endpoint was closed. */
    private static final int INHERITED_ACCEPT_POLL_MILLIS = 250;
    private final AFUNIXServerSocket server;
    private final String name;
    private final String description;
    private final Path ownedPath;
    private final boolean inherited;
    private volatile boolean closed;

    UnixListeningEndpoint(AFUNIXServerSocket server, String name, String description, Path ownedPath) {
        this.server = server;
        this.name = name;
        this.description = description;
        this.ownedPath = ownedPath;
        this.inherited = false;
    }

    /** An inherited listener: accept only, never shut down, never unlinked. */
    UnixListeningEndpoint(AFUNIXServerSocket server, String name, String description) throws IOException {
        this.server = server;
        this.name = name;
        this.description = description;
        this.ownedPath = null;
        this.inherited = true;
        server.setShutdownOnClose(false);
        server.setDeleteOnClose(false);
        server.setSoTimeout(INHERITED_ACCEPT_POLL_MILLIS);
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            if (closed) {
                throw new SocketException(description + " is closed");
            }
            try {
                AFUNIXSocket socket = server.accept();
                // junixsocket's close() shuts the socket down and then, by default, again on its way to close(2):
                // one system call per connection that a socket only this process holds does not need.
                socket.setShutdownOnClose(false);
                if (inherited) {
                    // The accepted socket may carry the listener's poll timeout; a session blocks in read. A
                    // listener we bound has no timeout, and skipping this spares each connection four syscalls.
                    socket.setSoTimeout(0);
                }
                return Endpoints.socketConnection(socket, peerOf(socket));
            } catch (SocketTimeoutException e) {
                if (!inherited) {
                    throw e;
                }
            }
        }
    }

    /** A listener we bound: no one else accepts on it, and closing it shuts it down, which wakes every accept. */
    @Override
    public boolean acceptsConcurrently() {
        return !inherited;
    }

    static Peer peerOf(AFUNIXSocket socket) {
        try {
            AFUNIXSocketCredentials c = socket.getPeerCredentials();
            return Peer.credentials(c.getUid(), c.getGid(), c.getPid());
        } catch (IOException e) {
            return Peer.unknown("AF_UNIX peer (credentials unavailable: " + e.getMessage() + ")");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EndpointKind kind() {
        return EndpointKind.UNIX;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        if (inherited) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + description + ": " + e.getMessage());
        }
        if (ownedPath != null) {
            try {
                Files.deleteIfExists(ownedPath);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove socket file " + ownedPath + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
