package org.jqga.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Connection;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.StreamEndpoint;
import org.jqga.api.SysExits;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.posix.SocketType;
import org.jqga.transport.socket.FdGuard;
import org.jqga.transport.socket.FdSocketConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AF_UNIX transport on real sockets: listeners we bind (accepted with accept4 through {@link Posix}), and
 * listeners and connections a supervisor passes (the test makes the descriptor with libc, as systemd would, and
 * keeps its own copy).
 */
class UnixTransportTest {
    /** How long a step may take before the test calls it a hang; it never decides a result. */
    private static final long HANG_SECONDS = 30;

    @TempDir
    Path dir;

    private final Posix posix = Posix.load();
    private final UnixTransport transport = new UnixTransport(posix);

    /** A listening AF_UNIX socket made the way a supervisor makes one: our descriptor number, no JDK object. */
    private static int supervisorListener(Path path) throws IOException {
        UnixTransport.Sockets libc = UnixTransport.Sockets.LIBC;
        int fd = libc.socket(1, 1 | 02000000, 0);
        assertTrue(fd >= 0, "socket()");
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        jnr.ffi.Pointer address = jnr.ffi.Memory.allocateDirect(runtime, 110, true);
        address.putShort(0, (short) 1);
        address.put(2, name, 0, name.length);
        assertEquals(0, libc.bind(fd, address, 2 + name.length + 1), "bind()");
        assertEquals(0, libc.listen(fd, 8), "listen()");
        return fd;
    }

    private ListeningEndpoint bound(Path socket) throws IOException {
        return assertInstanceOf(ListeningEndpoint.class, transport.bind(socket.toString(), new BindOptions(0600, 4)));
    }

    private static SocketChannel connect(Path path) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(path));
    }

    private static int fdOf(Connection c) throws Exception {
        java.lang.reflect.Field f = FdSocketConnection.class.getDeclaredField("guard");
        f.setAccessible(true);
        return ((FdGuard) f.get(assertInstanceOf(FdSocketConnection.class, c))).fd();
    }

    private static long ourUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    @Test
    void anAcceptedConnectionCarriesThePeersCredentialsIsCloseOnExecAndCarriesBytesBothWays() throws Exception {
        Path socket = dir.resolve("qga.sock");
        ListeningEndpoint endpoint = bound(socket);
        try (SocketChannel client = connect(socket)) {
            Connection c = endpoint.accept();
            int fd = fdOf(c);
            assertEquals(ourUid(), c.peer().uid().getAsLong(), c.peer().toString());
            assertEquals(ProcessHandle.current().pid(), c.peer().pid().getAsLong(), c.peer().toString());
            assertTrue(posix.isCloseOnExec(fd), "accept4(SOCK_CLOEXEC)");

            client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            byte[] got = new byte[4];
            assertEquals(4, c.in().readNBytes(got, 0, 4));
            assertEquals("ping", new String(got, StandardCharsets.US_ASCII));
            c.out().write("pong".getBytes(StandardCharsets.US_ASCII));
            ByteBuffer reply = ByteBuffer.allocate(4);
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // until the four bytes are in
            }
            assertEquals("pong", new String(reply.array(), StandardCharsets.US_ASCII));

            c.close();
            assertFalse(posix.isOpen(fd), "close released fd " + fd);
            assertEquals(-1, client.read(ByteBuffer.allocate(1)), "the client sees end of stream");
        } finally {
            endpoint.close();
        }
    }

    /** A reply larger than one read or write chunk arrives whole and in order. */
    @Test
    void aLargeWriteArrivesWhole() throws Exception {
        Path socket = dir.resolve("qga.sock");
        ListeningEndpoint endpoint = bound(socket);
        byte[] sent = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31 + (i >>> 12));
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (SocketChannel client = connect(socket)) {
            Connection c = endpoint.accept();
            Future<?> done = writer.submit(() -> {
                c.out().write(sent);
                c.close();
                return null;
            });
            ByteBuffer got = ByteBuffer.allocate(sent.length + 1);
            while (client.read(got) >= 0) {
                assertTrue(got.position() <= sent.length, "no more bytes than were written");
            }
            done.get(HANG_SECONDS, TimeUnit.SECONDS);
            assertEquals(sent.length, got.position());
            assertTrue(java.util.Arrays.equals(sent, 0, sent.length, got.array(), 0, sent.length), "same bytes");
        } finally {
            writer.shutdownNow();
            endpoint.close();
        }
    }

    /** Several threads wait in accept on a listener we bound; closing it returns every one, and removes the file. */
    @Test
    void closingABoundListenerReturnsEveryWaitingAcceptAndRemovesTheSocketFile() throws Exception {
        Path socket = dir.resolve("qga.sock");
        ListeningEndpoint endpoint = bound(socket);
        assertTrue(endpoint.acceptsConcurrently());
        ExecutorService acceptors = Executors.newFixedThreadPool(3);
        try {
            List<Future<Connection>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(acceptors.submit(endpoint::accept));
            }
            // Each accept is running (or about to): a client proves the listener is live before it is closed.
            try (SocketChannel client = connect(socket)) {
                int served = 0;
                while (served == 0) {
                    for (Future<Connection> f : waiting) {
                        if (f.isDone()) {
                            f.get().close();
                            served++;
                        }
                    }
                    Thread.onSpinWait();
                }
                endpoint.close();
                int closedOut = 0;
                for (Future<Connection> f : waiting) {
                    try {
                        f.get(HANG_SECONDS, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertInstanceOf(SocketException.class, e.getCause(), e.toString());
                        closedOut++;
                    }
                }
                assertEquals(2, closedOut, "the two accepts still waiting end with the endpoint closed");
            }
            assertFalse(Files.exists(socket), "the socket file is removed");
            assertThrows(SocketException.class, endpoint::accept);
        } finally {
            acceptors.shutdownNow();
        }
    }

    /**
     * A provider that hands the unix transport another family's socket gets one precise error, before any fd is
     * touched.
     */
    @Test
    void anotherFamilysSocketIsRefusedNamingTheFdAndTheFamily() {
        SocketInfo tcp = new SocketInfo(7, SocketFamily.INET, 2, SocketType.STREAM, true, false, "127.0.0.1:4000",
                false);
        String expected = "fd 7: " + tcp.describe() + ": cannot be adopted by the unix transport, which does not"
                + " handle AF_INET";
        ActivationException adopt = assertThrows(ActivationException.class, () -> transport.adopt(7, tcp, "qga"));
        assertEquals(expected, adopt.getMessage());
        assertEquals(SysExits.EX_SOFTWARE, adopt.exitCode());
        assertEquals(expected, assertThrows(ActivationException.class, () -> transport.adoptChannel(7, tcp))
                .getMessage());
    }

    /**
     * A listener systemd passed is systemd's too: closing our endpoint releases our descriptor only, and the socket
     * still takes clients for the next instance.
     */
    @Test
    void closingAnInheritedListenerLeavesTheSupervisorsSocketListening() throws Exception {
        Path socket = dir.resolve("passed.sock");
        int supervisors = supervisorListener(socket);
        int ours = Dup.LIBC.dup(supervisors); // our own descriptor of systemd's socket, as fd 3 is
        try {
            ListeningEndpoint endpoint = assertInstanceOf(ListeningEndpoint.class,
                    transport.adopt(ours, posix.socketInfo(ours), "qga"));
            assertFalse(endpoint.acceptsConcurrently());
            try (SocketChannel client = connect(socket)) {
                Connection c = endpoint.accept();
                assertEquals(ourUid(), c.peer().uid().getAsLong());
                c.close();
            }
            endpoint.close();
            assertThrows(SocketException.class, endpoint::accept);
            assertTrue(Files.exists(socket), "an inherited socket file is never removed");

            try (SocketChannel next = connect(socket)) {
                ListeningEndpoint again = assertInstanceOf(ListeningEndpoint.class,
                        transport.adopt(supervisors, posix.socketInfo(supervisors), "qga"));
                Connection c = again.accept();
                assertTrue(next.isConnected(), "the next instance is served on the same socket");
                c.close();
                again.close();
            }
        } finally {
            if (posix.isOpen(supervisors)) {
                UnixTransport.Sockets.LIBC.close(supervisors);
            }
        }
    }

    /** A connection a supervisor accepted for us (Accept=yes, UCSPI) is one stream endpoint with its peer. */
    @Test
    void anInheritedConnectionIsServedOnceWithItsPeer() throws Exception {
        Path socket = dir.resolve("accept-yes.sock");
        int listener = supervisorListener(socket);
        try (SocketChannel client = connect(socket)) {
            int fd = posix.accept(listener).fd();
            StreamEndpoint endpoint = assertInstanceOf(StreamEndpoint.class,
                    transport.adopt(fd, posix.socketInfo(fd), "qga"));
            Connection c = endpoint.open().orElseThrow();
            assertEquals(ourUid(), c.peer().uid().getAsLong());
            client.write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(42, c.in().read());
            c.close();
            assertEquals(-1, client.read(ByteBuffer.allocate(1)), "the client sees end of stream");
            assertTrue(endpoint.open().isEmpty(), "served once");
            endpoint.close();
        } finally {
            UnixTransport.Sockets.LIBC.close(listener);
        }
    }

    /** libc calls only the test needs. */
    public interface Dup {
        Dup LIBC = jnr.ffi.LibraryLoader.create(Dup.class).load("c");

        int dup(int fd);
    }
}
