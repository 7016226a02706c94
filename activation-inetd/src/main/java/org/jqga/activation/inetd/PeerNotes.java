package org.jqga.activation.inetd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.jqga.api.Connection;
import org.jqga.api.Endpoints;
import org.jqga.api.Peer;
import org.jqga.api.StreamEndpoint;

/** Adds what the supervisor said about the client to the kernel's view of the peer. */
final class PeerNotes {
    private PeerNotes() {
    }

    /** {@code peer} with the supervisor's variables appended to its description (its ids stay the kernel's). */
    static Peer annotate(Peer peer, SupervisorEnvironment env) {
        Optional<String> summary = env.summary();
        if (summary.isEmpty()) {
            return peer;
        }
        StringBuilder d = new StringBuilder(peer.description()).append(' ').append(summary.get());
        if (env.remoteEuid().isPresent() && peer.uid().isPresent()
                && env.remoteEuid().getAsLong() != peer.uid().getAsLong()) {
            d.append(" (the supervisor's uid ").append(env.remoteEuid().getAsLong())
                    .append(" differs from SO_PEERCRED's ").append(peer.uid().getAsLong()).append(')');
        }
        return new Peer(peer.uid(), peer.gid(), peer.pid(), peer.cid(), d.toString());
    }

    /**
     * Takes the single connection of a one-shot endpoint (a transport's adopted fd 0) and returns an endpoint that
     * hands out the same connection with its peer annotated, and that names the peer in its description.
     */
    static StreamEndpoint annotate(StreamEndpoint oneShot, String name, SupervisorEnvironment env)
            throws IOException {
        Optional<Connection> taken = oneShot.open();
        if (taken.isEmpty()) {
            throw new IOException(oneShot.describe() + " has no connection to hand out");
        }
        Connection inner = taken.get();
        Peer peer = annotate(inner.peer(), env);
        Connection annotated = new Connection() {
            @Override public InputStream in() { return inner.in(); }
            @Override public OutputStream out() { return inner.out(); }
            @Override public Peer peer() { return peer; }
            @Override public void stopReading() { inner.stopReading(); }
            @Override public void close() { inner.close(); }
            @Override public String toString() { return "connection from " + peer; }
        };
        return Endpoints.oneShot(name, oneShot.kind(), oneShot.describe() + ", peer " + peer, annotated);
    }
}
