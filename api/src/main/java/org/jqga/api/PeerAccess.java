package org.jqga.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * Who may talk to the daemon: {@code --allow-peer-uid} for AF_UNIX endpoints (the kernel's {@code SO_PEERCRED})
 * and {@code --allow-peer-cid} for AF_VSOCK endpoints (the peer address {@code accept} returned). Applied to every
 * endpoint of an activation, whichever provider made it: a refused peer's connection is closed before a byte is
 * read, and the refusal is logged as a warning with the peer's credentials, throttled by a {@link RejectionLog}
 * (a peer can connect as often as it likes); the listener goes on accepting.
 *
 * <p>A peer whose uid (or CID) the kernel did not report is refused when a list applies: an access list that
 * lets unknowns through would not be one. Endpoints of other kinds (character devices, stdio, inet) carry no
 * such identity and are not affected.
 */
public final class PeerAccess {
    private final Set<Long> uids;
    private final Set<Long> cids;
    /** Refusals are warnings (an operator must act on them) but throttled: a peer can connect at will. */
    private final RejectionLog refusals = new RejectionLog(PeerAccess.class.getName(), Level.WARNING,
            "refused clients");

    private PeerAccess(Set<Long> uids, Set<Long> cids) {
        this.uids = Set.copyOf(uids);
        this.cids = Set.copyOf(cids);
    }

    /** The lists of {@code options}. */
    public static PeerAccess of(ActivationOptions options) {
        return new PeerAccess(options.allowedPeerUids(), options.allowedPeerCids());
    }

    /** {@code activation} itself when no list applies, else the same activation with checked endpoints. */
    public Activation restrict(Activation activation) {
        if (uids.isEmpty() && cids.isEmpty()) {
            return activation;
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : activation.endpoints()) {
            endpoints.add(restrict(e));
        }
        List<Endpoint> copy = List.copyOf(endpoints);
        return new Activation() {
            @Override public String providerName() { return activation.providerName(); }
            @Override public List<Endpoint> endpoints() { return copy; }
            @Override public ServiceNotifier notifier() { return activation.notifier(); }
            @Override public boolean ownsSockets() { return activation.ownsSockets(); }
            @Override public void close() { activation.close(); }
            @Override public String toString() { return activation.toString(); }
        };
    }

    /** The endpoint, checking each peer when a list applies to its kind. */
    public Endpoint restrict(Endpoint endpoint) {
        Optional<String> rule = rule(endpoint.kind());
        if (rule.isEmpty()) {
            return endpoint;
        }
        if (endpoint instanceof ListeningEndpoint l) {
            return new CheckedListener(l, rule.get());
        }
        return new CheckedStream((StreamEndpoint) endpoint, rule.get());
    }

    /** The option that governs {@code kind}, rendered for messages, if it is set. */
    private Optional<String> rule(EndpointKind kind) {
        if (kind == EndpointKind.UNIX && !uids.isEmpty()) {
            return Optional.of("--allow-peer-uid=" + join(uids));
        }
        if (kind == EndpointKind.VSOCK && !cids.isEmpty()) {
            return Optional.of("--allow-peer-cid=" + join(cids));
        }
        return Optional.empty();
    }

    private static String join(Set<Long> values) {
        return new TreeSet<>(values).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Whether {@code peer} may talk on an endpoint of {@code kind}. */
    public boolean allows(EndpointKind kind, Peer peer) {
        if (kind == EndpointKind.UNIX && !uids.isEmpty()) {
            return contains(uids, peer.uid());
        }
        if (kind == EndpointKind.VSOCK && !cids.isEmpty()) {
            return contains(cids, peer.cid());
        }
        return true;
    }

    private static boolean contains(Set<Long> set, OptionalLong value) {
        return value.isPresent() && set.contains(value.getAsLong());
    }

    private boolean admit(Endpoint endpoint, String rule, Connection c) {
        if (allows(endpoint.kind(), c.peer())) {
            return true;
        }
        refusals.log("refused a client on " + endpoint.describe() + ": peer " + c.peer().description()
                + " is not allowed by " + rule + "; connection closed");
        c.close();
        return false;
    }

    private final class CheckedListener implements ListeningEndpoint {
        private final ListeningEndpoint inner;
        private final String rule;

        CheckedListener(ListeningEndpoint inner, String rule) {
            this.inner = inner;
            this.rule = rule;
        }

        @Override
        public Connection accept() throws IOException {
            while (true) {
                Connection c = inner.accept();
                if (admit(inner, rule, c)) {
                    return c;
                }
            }
        }

        @Override public String name() { return inner.name(); }
        @Override public EndpointKind kind() { return inner.kind(); }
        @Override public String describe() { return inner.describe() + ", peers allowed by " + rule; }
        @Override public void close() { inner.close(); }
        @Override public boolean acceptsConcurrently() { return inner.acceptsConcurrently(); }
        @Override public String toString() { return describe(); }
    }

    /** A handed-over connection (systemd Accept=yes, inetd): refused means this endpoint has nothing to serve. */
    private final class CheckedStream implements StreamEndpoint {
        private final StreamEndpoint inner;
        private final String rule;

        CheckedStream(StreamEndpoint inner, String rule) {
            this.inner = inner;
            this.rule = rule;
        }

        @Override
        public Optional<Connection> open() throws IOException {
            while (true) {
                Optional<Connection> c = inner.open();
                if (c.isEmpty() || admit(inner, rule, c.get())) {
                    return c;
                }
            }
        }

        @Override public String name() { return inner.name(); }
        @Override public EndpointKind kind() { return inner.kind(); }
        @Override public String describe() { return inner.describe() + ", peers allowed by " + rule; }
        @Override public void close() { inner.close(); }
        @Override public String toString() { return describe(); }
    }
}
