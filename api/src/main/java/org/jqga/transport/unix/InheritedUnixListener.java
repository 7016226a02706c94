package org.jqga.transport.unix;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.Peer;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * An AF_UNIX listener a supervisor passed, on junixsocket. Not on {@link org.jqga.transport.socket}'s descriptor
 * path, as listeners we bind are: that path needs jnr-ffi's libc binding, whose first calls cost a socket-activated
 * start 20-40 ms before its first reply (measured beside this class on JDK 25 with the start-up cache), and the
 * first reply is what socket activation is judged by. junixsocket's accept is dearer per connection instead (it
 * builds the local address, with a synthetic host name, every time), which only a client that reconnects for every
 * command notices.
 *
 * <p>The listener is shared with the supervisor (systemd keeps its own copy to start us again), so it is never
 * unlinked and never {@code shutdown()}: a shut-down listening socket refuses every later connection, also those
 * meant for the next instance. junixsocket's {@code close()} always shuts a socket down, so the listener is not
 * closed through junixsocket at all: {@link #close()} only stops accepting, {@link #accept()} waits in short
 * polls so that it notices, and the descriptor is released when the process exits.
 */
final class InheritedUnixListener implements ListeningEndpoint {
    /** How often a blocked accept looks whether the endpoint was closed. */
    private static final int ACCEPT_POLL_MILLIS = 250;
    private final AFUNIXServerSocket server;
    private final String name;
    private final String description;
    private volatile boolean closed;

    InheritedUnixListener(AFUNIXServerSocket server, String name, String description) throws IOException {
        this.server = server;
        this.name = name;
        this.description = description;
        server.setShutdownOnClose(false);
        server.setDeleteOnClose(false);
        server.setSoTimeout(ACCEPT_POLL_MILLIS);
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
                // The accepted socket may carry the listener's poll timeout; a session blocks in read.
                socket.setSoTimeout(0);
                return Endpoints.socketConnection(socket, peerOf(socket));
            } catch (SocketTimeoutException e) {
                // a slice ended: look at the closed flag again
            }
        }
    }

    static Peer peerOf(AFUNIXSocket socket) {
        try {
            AFUNIXSocketCredentials c = socket.getPeerCredentials();
            return Peer.credentials(c.getUid(), c.getGid(), c.getPid());
        } catch (IOException e) {
            return Peer.unknown("AF_UNIX peer (credentials unavailable: " + e.getMessage() + ")");
        }
    }

    /** Only one thread accepts: an accept still waiting could take a client meant for the next instance. */
    @Override
    public boolean acceptsConcurrently() {
        return false;
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
    }

    @Override
    public String toString() {
        return description;
    }
}
