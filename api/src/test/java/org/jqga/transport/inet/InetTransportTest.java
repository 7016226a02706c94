package org.jqga.transport.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;
import org.jqga.api.BindOptions;
import org.jqga.api.Connection;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.StreamEndpoint;
import org.jqga.api.Transports;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.transport.socket.FdGuard;
import org.jqga.transport.socket.FdSocketConnection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The inet transport on real TCP sockets. The JDK's channel plays the supervisor: the test finds its descriptor
 * (by the socket's inode, from /proc/net/tcp and /proc/self/fd) and adopts a {@code dup} of it, as a service gets
 * its own descriptor of systemd's socket. The channel itself stays open, so the test can show that closing our
 * endpoint leaves the supervisor's socket listening.
 */
class InetTransportTest {
    /** libc calls only the test needs. */
    public interface LibC {
        int dup(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private final Posix posix = Posix.load();
    private final InetTransport transport = new InetTransport(posix);

    /** Our own descriptor of the socket whose local port is {@code port} (a listener when {@code listening}). */
    private static int dupOf(int port, boolean listening, boolean v6) throws IOException {
        String inode = null;
        for (String line : Files.readAllLines(Path.of(v6 ? "/proc/net/tcp6" : "/proc/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[1].contains(":")) {
                continue;
            }
            int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            if (local == port && f[3].equals("0A") == listening) {
                inode = f[9];
            }
        }
        assertNotNull(inode, "no socket with local port " + port + " in /proc/net/tcp");
        String target = "socket:[" + inode + "]";
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(p).toString().equals(target)) {
                        int dup = LIBC.dup(Integer.parseInt(p.getFileName().toString()));
                        assertTrue(dup >= 0, "dup failed");
                        return dup;
                    }
                } catch (IOException e) {
                    // an fd closed since the listing
                }
            }
        }
        throw new AssertionError("no descriptor of " + target + " in /proc/self/fd");
    }

    private static ServerSocketChannel listener(InetAddress address) throws IOException {
        // With a family, not dual-stack: a JDK socket is AF_INET6 by default, even when bound to 127.0.0.1.
        ServerSocketChannel s = ServerSocketChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        s.bind(new InetSocketAddress(address, 0));
        s.configureBlocking(false); // as systemd passes its sockets; O_NONBLOCK is shared with our dup
        return s;
    }

    private ListeningEndpoint adoptListener(ServerSocketChannel server, boolean v6) throws Exception {
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        int fd = dupOf(port, true, v6);
        SocketInfo info = posix.socketInfo(fd);
        Endpoint e = transport.adopt(fd, info, "qga");
        return assertInstanceOf(ListeningEndpoint.class, e);
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "bytes before end of stream");
        return b;
    }

    @Test
    void aListenerIsAdoptedAcceptsAndRoundTripsBytes() throws Exception {
        try (ServerSocketChannel server = listener(InetAddress.getByName("127.0.0.1"))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            ListeningEndpoint endpoint = adoptListener(server, false);
            try (Socket client = new Socket("127.0.0.1", port)) {
                Connection c = endpoint.accept();
                assertEquals("127.0.0.1:" + client.getLocalPort(), c.peer().description());
                assertTrue(c.peer().uid().isEmpty() && c.peer().pid().isEmpty() && c.peer().cid().isEmpty());
                assertEquals(EndpointKind.INET, endpoint.kind());
                assertTrue(endpoint.describe().matches("fd \\d+: AF_INET stream listener 127\\.0\\.0\\.1:" + port),
                        endpoint.describe());

                client.getOutputStream().write("{\"execute\":\"guest-ping\"}".getBytes(StandardCharsets.UTF_8));
                assertEquals("{\"execute\":\"guest-ping\"}", new String(readN(c.in(), 24), StandardCharsets.UTF_8));
                byte[] big = new byte[3 << 20]; // more than the socket buffers: the write loop must continue
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) i;
                }
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.getInputStream().readNBytes(big.length);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                c.out().write(big);
                assertArrayEquals(big, received.get(30, TimeUnit.SECONDS));
                c.close();
                c.close(); // idempotent
                assertEquals(-1, client.getInputStream().read(), "the client sees end of stream");
                assertThrows(IOException.class, () -> c.in().read());
            } finally {
                endpoint.close();
            }
        }
    }

    @Test
    void anAcceptedConnectionIsCloseOnExecAndClosingReleasesItsDescriptor() throws Exception {
        try (ServerSocketChannel server = listener(InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket()) {
            ListeningEndpoint endpoint = adoptListener(server, false);
            try {
                client.connect(server.getLocalAddress());
                FdSocketConnection c = (FdSocketConnection) endpoint.accept();
                int fd = fdOf(c);
                assertTrue(posix.isCloseOnExec(fd), "accept4(SOCK_CLOEXEC)");
                c.close();
                assertFalse(posix.isOpen(fd));
            } finally {
                endpoint.close();
            }
        }
    }

    /** The descriptor number, from the connection's guard (the only place it is kept). */
    private static int fdOf(FdSocketConnection c) throws Exception {
        java.lang.reflect.Field f = FdSocketConnection.class.getDeclaredField("guard");
        f.setAccessible(true);
        return ((FdGuard) f.get(c)).fd();
    }

    @Test
    void stopReadingDeliversWhatArrivedThenEndOfStreamAndWritingStillWorks() throws Exception {
        try (ServerSocketChannel server = listener(InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket()) {
            ListeningEndpoint endpoint = adoptListener(server, false);
            try {
                client.connect(server.getLocalAddress());
                Connection c = endpoint.accept();
                client.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                assertEquals("he", new String(readN(c.in(), 2), StandardCharsets.UTF_8)); // the bytes are here
                c.stopReading();
                assertEquals("llo", new String(readN(c.in(), 3), StandardCharsets.UTF_8));
                assertEquals(-1, c.in().read());
                c.out().write("bye\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("bye\n", new String(client.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
                c.close();
            } finally {
                endpoint.close();
            }
        }
    }

    @Test
    void closeWakesAWaitingAcceptPromptlyAndTheSupervisorsSocketStillListens() throws Exception {
        try (ServerSocketChannel server = listener(InetAddress.getByName("127.0.0.1"))) {
            ListeningEndpoint endpoint = adoptListener(server, false);
            int fd = Integer.parseInt(endpoint.describe().replaceAll("^fd (\\d+):.*", "$1"));
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    endpoint.accept().close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(300); // well inside a poll slice or two
            assertFalse(waiting.isDone(), "accept waits for a client");
            long start = System.nanoTime();
            endpoint.close();
            Throwable t = waiting.get(2, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(IOException.class, t);
            assertTrue(t.getMessage().contains("is closed"), t.getMessage());
            assertTrue(millis < 1000, "accept ended " + millis + " ms after close");
            assertFalse(posix.isOpen(fd), "our descriptor was released");
            assertThrows(IOException.class, endpoint::accept);
            endpoint.close(); // again: nothing happens

            // Never shut down: the supervisor's descriptor of the same socket still takes clients.
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                server.configureBlocking(true);
                try (SocketChannel accepted = server.accept()) {
                    accepted.write(ByteBuffer.wrap(new byte[] {42}));
                    ByteBuffer one = ByteBuffer.allocate(1);
                    assertEquals(1, client.read(one));
                    assertEquals(42, one.get(0));
                }
            }
        }
    }

    @Test
    void sharingTheListenerWithAnotherAcceptorIsNotAnError() throws Exception {
        try (ServerSocketChannel server = listener(InetAddress.getByName("127.0.0.1"))) {
            ListeningEndpoint endpoint = adoptListener(server, false);
            try {
                // The "other process" (the JDK channel) races us for two clients: whichever it takes, our accept either
                // gets the other or sees EAGAIN/nothing and waits again, without failing.
                CompletableFuture<Connection> ours = CompletableFuture.supplyAsync(() -> {
                    try {
                        return endpoint.accept();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (SocketChannel first = SocketChannel.open(server.getLocalAddress());
                     SocketChannel second = SocketChannel.open(server.getLocalAddress())) {
                    SocketChannel taken = null;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (taken == null && System.nanoTime() < deadline && !ours.isDone()) {
                        taken = server.accept(); // non-blocking: null while nothing is pending
                    }
                    Connection c = ours.get(5, TimeUnit.SECONDS);
                    assertTrue(c.peer().description().startsWith("127.0.0.1:"), c.peer().description());
                    c.close();
                    if (taken != null) {
                        taken.close();
                    }
                }
            } finally {
                endpoint.close();
            }
        }
    }

    @Test
    void anIpv6LoopbackListenerIsDescribedInSystemdNotation() throws Exception {
        Optional<InetAddress> loopback6 = NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet6Address).findFirst();
        Assumptions.assumeTrue(loopback6.isPresent(), "no IPv6 address on the loopback interface");
        try (ServerSocketChannel server = listener(InetAddress.getByName("::1"))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            ListeningEndpoint endpoint = adoptListener(server, true);
            try (Socket client = new Socket("::1", port)) {
                assertTrue(endpoint.describe().matches("fd \\d+: AF_INET6 stream listener \\[::1\\]:" + port),
                        endpoint.describe());
                Connection c = endpoint.accept();
                assertEquals("[::1]:" + client.getLocalPort(), c.peer().description());
                c.out().write('x');
                assertEquals('x', client.getInputStream().read());
                c.close();
            } finally {
                endpoint.close();
            }
        }
    }

    @Test
    void aConnectionPassedByTheSupervisorIsServedOnceWithItsPeer() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
                client.connect(server.getLocalAddress());
                try (SocketChannel accepted = server.accept()) {
                    // Accept=yes hands the service one end of a connection. The server end shares its local port with
                    // the listener; the client end's port is unique, so that end is adopted and `accepted` talks.
                    int fd = dupOf(((InetSocketAddress) client.getLocalAddress()).getPort(), false, false);
                    SocketInfo info = posix.socketInfo(fd);
                    assertTrue(info.connected() && !info.listening());
                    StreamEndpoint e = assertInstanceOf(StreamEndpoint.class, transport.adopt(fd, info, "connection"));
                    Connection c = e.open().orElseThrow();
                    assertEquals("127.0.0.1:" + port, c.peer().description());
                    assertTrue(e.open().isEmpty(), "one connection, once");
                    accepted.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
                    assertEquals("ping", new String(readN(c.in(), 4), StandardCharsets.UTF_8));
                    OutputStream out = c.out();
                    out.write("pong".getBytes(StandardCharsets.UTF_8));
                    ByteBuffer b = ByteBuffer.allocate(4);
                    while (b.hasRemaining() && accepted.read(b) > 0) {
                        // read all four bytes
                    }
                    assertEquals("pong", new String(b.array(), StandardCharsets.UTF_8));
                    c.close();
                    assertFalse(posix.isOpen(fd));
                    e.close();
                }
            }
        }
    }

    @Test
    void theTransportIsInstalledForBothFamiliesAndDoesNotBind() {
        Transports installed = Transports.load();
        assertEquals("inet", installed.forFamily(SocketFamily.INET).orElseThrow().name());
        assertEquals("inet", installed.forFamily(SocketFamily.INET6).orElseThrow().name());
        assertEquals("unix", installed.forFamily(SocketFamily.UNIX).orElseThrow().name());
        IOException e = assertThrows(IOException.class,
                () -> transport.bind("127.0.0.1:4444", BindOptions.defaults()));
        assertTrue(e.getMessage().contains("binding TCP is not offered: qemu-ga has no TCP method; use socket"
                + " activation"), e.getMessage());
    }
}
