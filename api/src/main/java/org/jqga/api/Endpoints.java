package org.jqga.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Building blocks that several transports and providers share. */
public final class Endpoints {
    private Endpoints() {
    }

    /**
     * A stream endpoint that hands out {@code connection} once and is then finished: a systemd {@code Accept=yes}
     * connection, an inetd {@code nowait} fd 0, stdio.
     */
    public static StreamEndpoint oneShot(String name, EndpointKind kind, String description, Connection connection) {
        AtomicReference<Connection> pending = new AtomicReference<>(connection);
        return new StreamEndpoint() {
            @Override public Optional<Connection> open() { return Optional.ofNullable(pending.getAndSet(null)); }
            @Override public String name() { return name; }
            @Override public EndpointKind kind() { return kind; }
            @Override public String describe() { return description; }
            @Override public void close() {
                Connection c = pending.getAndSet(null);
                if (c != null) {
                    c.close();
                }
            }
            @Override public String toString() { return description; }
        };
    }

    /** A connection over a connected {@link Socket}. */
    public static Connection socketConnection(Socket socket, Peer peer) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new Connection() {
            @Override public InputStream in() { return in; }
            @Override public OutputStream out() { return out; }
            @Override public Peer peer() { return peer; }
            @Override public void stopReading() {
                try {
                    socket.shutdownInput();
                } catch (IOException e) {
                    close();
                }
            }
            @Override public void close() {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing a socket whose peer vanished can fail; the descriptor is released either way.
                    System.getLogger(Endpoints.class.getName()).log(System.Logger.Level.DEBUG,
                            "closing connection from " + peer + ": " + e.getMessage());
                }
            }
            @Override public String toString() { return "connection from " + peer; }
        };
    }
}
