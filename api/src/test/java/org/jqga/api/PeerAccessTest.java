package org.jqga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerAccessTest {
    /** A connection that remembers being closed. */
    static final class FakeConnection implements Connection {
        final Peer peer;
        boolean closed;

        FakeConnection(Peer peer) {
            this.peer = peer;
        }

        @Override public InputStream in() { return new ByteArrayInputStream(new byte[0]); }
        @Override public OutputStream out() { return new ByteArrayOutputStream(); }
        @Override public Peer peer() { return peer; }
        @Override public void close() { closed = true; }
    }

    /** A listener that hands out queued connections. */
    static final class FakeListener implements ListeningEndpoint {
        final Deque<Connection> queue;
        final EndpointKind kind;

        FakeListener(EndpointKind kind, List<Connection> connections) {
            this.kind = kind;
            this.queue = new ArrayDeque<>(connections);
        }

        @Override public Connection accept() { return queue.removeFirst(); }
        @Override public String name() { return "fake"; }
        @Override public EndpointKind kind() { return kind; }
        @Override public String describe() { return "fake " + kind + " listener"; }
        @Override public void close() { }
    }

    private static Peer vsock(long cid) {
        return new Peer(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(cid),
                "cid " + cid + " port 1025");
    }

    private static PeerAccess access(Set<Long> uids, Set<Long> cids) {
        return PeerAccess.of(ActivationOptions.builder().allowedPeerUids(uids).allowedPeerCids(cids).build());
    }

    @Test
    void refusedUnixPeersAreClosedAndSkipped() throws Exception {
        FakeConnection nobody = new FakeConnection(Peer.credentials(65534, 65534, 42));
        FakeConnection unknown = new FakeConnection(Peer.unknown("AF_UNIX peer (credentials unavailable)"));
        FakeConnection root = new FakeConnection(Peer.credentials(0, 0, 43));
        ListeningEndpoint checked = (ListeningEndpoint) access(Set.of(0L), Set.of())
                .restrict(new FakeListener(EndpointKind.UNIX, List.of(nobody, unknown, root)));
        assertSame(root, checked.accept());
        assertTrue(nobody.closed);
        assertTrue(unknown.closed, "a peer without credentials is refused when a uid list applies");
        assertFalse(root.closed);
        assertEquals("fake UNIX listener, peers allowed by --allow-peer-uid=0", checked.describe());
    }

    @Test
    void cidListGovernsVsockOnlyAndUidListUnixOnly() throws Exception {
        PeerAccess access = access(Set.of(1000L), Set.of(2L));
        assertTrue(access.allows(EndpointKind.VSOCK, vsock(2)));
        assertFalse(access.allows(EndpointKind.VSOCK, vsock(3)));
        assertTrue(access.allows(EndpointKind.UNIX, Peer.credentials(1000, 1000, 1)));
        assertFalse(access.allows(EndpointKind.UNIX, Peer.credentials(0, 0, 1)));
        assertTrue(access.allows(EndpointKind.CHARDEV, Peer.unknown("host")));

        FakeConnection host3 = new FakeConnection(vsock(3));
        FakeConnection host2 = new FakeConnection(vsock(2));
        ListeningEndpoint checked = (ListeningEndpoint) access
                .restrict(new FakeListener(EndpointKind.VSOCK, List.of(host3, host2)));
        assertSame(host2, checked.accept());
        assertTrue(host3.closed);
    }

    @Test
    void withoutListsNothingIsWrapped() {
        FakeListener listener = new FakeListener(EndpointKind.UNIX, new ArrayList<>());
        assertSame(listener, access(Set.of(), Set.of()).restrict(listener));
        assertSame(listener, access(Set.of(), Set.of(2L)).restrict(listener), "a CID list does not touch AF_UNIX");
        Activation a = Activation.of("test", List.of(listener), ServiceNotifier.NONE, true);
        assertSame(a, access(Set.of(), Set.of()).restrict(a));
    }
}
