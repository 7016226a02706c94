package org.jqga.transport.unix;

import java.io.IOException;
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

/** An AF_UNIX listener, bound by us ({@code ownedPath} set: removed on close) or inherited (never unlinked). */
final class UnixListeningEndpoint implements ListeningEndpoint {
    private static final System.Logger LOG = System.getLogger(UnixListeningEndpoint.class.getName());
    private final AFUNIXServerSocket server;
    private final String name;
    private final String description;
    private final Path ownedPath;

    UnixListeningEndpoint(AFUNIXServerSocket server, String name, String description, Path ownedPath) {
        this.server = server;
        this.name = name;
        this.description = description;
        this.ownedPath = ownedPath;
    }

    @Override
    public Connection accept() throws IOException {
        AFUNIXSocket socket = server.accept();
        return Endpoints.socketConnection(socket, peerOf(socket));
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
