package org.jqga.transport.vsock;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.ListeningEndpoint;

/**
 * An AF_VSOCK listener. junixsocket wakes a blocked AF_UNIX accept on close by connecting to the socket; a vsock
 * socket cannot connect to itself without the loopback transport, so accept waits in slices of
 * {@link #ACCEPT_SLICE_MILLIS} and looks at the closed flag in between (one wake-up a second, no busy loop).
 */
final class VsockListeningEndpoint implements ListeningEndpoint {
    static final int ACCEPT_SLICE_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger(VsockListeningEndpoint.class.getName());
    private final VsockSockets.ServerSocket server;
    private final String name;
    private final String description;
    private volatile boolean closed;

    VsockListeningEndpoint(VsockSockets.ServerSocket server, String name, String description) throws SocketException {
        this.server = server;
        this.name = name;
        this.description = description;
        server.setSoTimeout(ACCEPT_SLICE_MILLIS);
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            if (closed) {
                throw new SocketException(description + " is closed");
            }
            try {
                VsockSockets.Socket socket = server.accept();
                return Endpoints.socketConnection(socket, VsockTransport.peerOf(socket));
            } catch (SocketTimeoutException e) {
                // A slice ended without a client: look at the closed flag again.
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EndpointKind kind() {
        return EndpointKind.VSOCK;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + description + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
