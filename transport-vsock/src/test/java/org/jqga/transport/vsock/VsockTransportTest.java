package org.jqga.transport.vsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import org.jqga.api.BindOptions;
import org.jqga.api.Connection;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFSocketAddress;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * Real AF_VSOCK sockets. Binding and adopting work on any kernel with the vsock core; connecting needs a peer
 * (a VM with a host side, or the vsock_loopback module), which the test machine may not have: that test says so
 * and is skipped.
 */
class VsockTransportTest {
    /** socket(2), bind(2), listen(2): the test plays the supervisor that creates the listener it hands over. */
    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);
        @SaveError int bind(int fd, Pointer addr, int len);
        @SaveError int listen(int fd, int backlog);
        @SaveError int close(int fd);
    }

    private static final int AF_VSOCK = 40;
    private static final int SOCK_STREAM = 1;
    private final VsockTransport transport = new VsockTransport();

    @BeforeAll
    static void vsockPresent() {
        VsockTransport.unavailabilityCause().ifPresent(cause -> {
            System.err.println("SKIPPED (needs a kernel with AF_VSOCK): " + cause);
            Assumptions.abort(cause);
        });
    }

    private static long randomPort() {
        return ThreadLocalRandom.current().nextLong(20_000, 60_000);
    }

    /** Binds any CID on a port nobody uses (ports are machine-wide, so pick until one is free). */
    private Endpoint bindAnyCid(String[] addressOut) throws IOException {
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            String address = "-1:" + randomPort();
            try {
                Endpoint e = transport.bind(address, BindOptions.defaults());
                addressOut[0] = address;
                return e;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    @Test
    void bindsAnyCidOnAFreePortAndHoldsIt() throws Exception {
        String[] address = new String[1];
        Endpoint endpoint = bindAnyCid(address);
        try {
            long port = Long.parseLong(address[0].substring(3));
            assertInstanceOf(ListeningEndpoint.class, endpoint);
            assertEquals(EndpointKind.VSOCK, endpoint.kind());
            assertEquals("AF_VSOCK stream listener vsock:4294967295:" + port + " (any CID, port " + port + ")",
                    endpoint.describe());
            // The port is really taken: a second bind of the same address is refused by the kernel.
            IOException e = assertThrows(IOException.class,
                    () -> transport.bind("4294967295:" + port, BindOptions.defaults()));
            assertTrue(e.getMessage().startsWith("cannot bind AF_VSOCK vsock:4294967295:" + port + ": "),
                    e.getMessage());
        } finally {
            endpoint.close();
        }
        // Closing released it.
        transport.bind(address[0], BindOptions.defaults()).close();
    }

    @Test
    void closeEndsABlockedAccept() throws Exception {
        ListeningEndpoint endpoint = (ListeningEndpoint) bindAnyCid(new String[1]);
        CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return endpoint.accept();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        endpoint.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> accepted.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void badAddressesGetQemuErrorsBeforeAnySocketIsMade() {
        assertEquals("trailing characters in address '-1:4000:1'", assertThrows(IOException.class,
                () -> transport.bind("-1:4000:1", BindOptions.defaults())).getMessage());
        assertEquals("trailing characters in address '-1:4000:1'", assertThrows(IOException.class,
                () -> transport.describeBind("-1:4000:1")).getMessage());
    }

    /** A listening AF_VSOCK socket on any CID, as a supervisor creates it; {@code portOut[0]} is its port. */
    private static int supervisorsListener(long[] portOut) {
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        Runtime rt = Runtime.getRuntime(libc);
        int fd = libc.socket(AF_VSOCK, SOCK_STREAM, 0);
        assertTrue(fd >= 0, "socket(AF_VSOCK): errno " + rt.getLastError());
        long port = -1;
        for (int i = 0; i < 20 && port < 0; i++) {
            long candidate = randomPort();
            Pointer sa = Memory.allocateDirect(rt, 16, true); // struct sockaddr_vm
            sa.putShort(0, (short) AF_VSOCK);
            sa.putInt(4, (int) candidate);
            sa.putInt(8, -1); // VMADDR_CID_ANY
            if (libc.bind(fd, sa, 16) == 0) {
                port = candidate;
            }
        }
        assertTrue(port > 0, "no free vsock port found");
        assertEquals(0, libc.listen(fd, 4), "listen: errno " + rt.getLastError());
        portOut[0] = port;
        return fd;
    }

    @Test
    void adoptsAnInheritedListenerAsAServerSocketChannel() throws Exception {
        long[] port = new long[1];
        int fd = supervisorsListener(port);
        Posix posix = Posix.load();
        try {
            NetworkChannel channel = transport.adoptChannel(fd, posix.socketInfo(fd));
            ServerSocketChannel listener = assertInstanceOf(ServerSocketChannel.class, channel);
            AFVSOCKSocketAddress local = AFVSOCKSocketAddress.unwrap(listener.getLocalAddress());
            assertEquals(port[0], Integer.toUnsignedLong(local.getVSOCKPort()));
        } finally {
            posix.close(fd); // InheritedSockets releases the number itself (see InheritedSocket#close)
        }
    }

    @Test
    void adoptsAnInheritedListener() throws Exception {
        long[] ports = new long[1];
        int fd = supervisorsListener(ports);
        long port = ports[0];
        Posix posix = Posix.load();
        SocketInfo info = posix.socketInfo(fd);
        assertEquals(SocketFamily.VSOCK, info.family());
        assertTrue(transport.handles(info.family()));
        Endpoint endpoint = transport.adopt(fd, info, "vsock");
        try {
            assertInstanceOf(ListeningEndpoint.class, endpoint);
            assertEquals("vsock", endpoint.name());
            assertEquals("fd " + fd + ": AF_VSOCK stream listener vsock:4294967295:" + port, endpoint.describe());
        } finally {
            endpoint.close();
        }
        assertTrue(!posix.isOpen(fd), "closing the endpoint closes the inherited fd");
    }

    /** Needs a peer: a VM whose host connects, or vsock_loopback. Skipped, with the reason, where neither exists. */
    @Test
    void acceptedConnectionNamesThePeerCid() throws Exception {
        String[] address = new String[1];
        ListeningEndpoint endpoint = (ListeningEndpoint) bindAnyCid(address);
        long port = Long.parseLong(address[0].substring(3));
        try {
            VsockSockets.Socket client = VsockSockets.Socket.newInstance();
            try {
                client.connect(AFVSOCKSocketAddress.ofPortAndCID((int) port, AFVSOCKSocketAddress.VMADDR_CID_LOCAL),
                        3000);
            } catch (IOException e) {
                client.close();
                String reason = "connecting to vsock CID 1 (local) failed (" + e.getMessage() + "): this kernel has"
                        + " no vsock loopback transport; accepting a vsock client needs a VM whose host connects,"
                        + " or the vsock_loopback module";
                System.err.println("SKIPPED (needs a VM): " + reason);
                Assumptions.abort(reason);
            }
            try (client; Connection c = endpoint.accept()) {
                assertEquals(1L, c.peer().cid().orElseThrow());
                AFSocketAddress local = (AFSocketAddress) client.getLocalSocketAddress();
                assertTrue(c.peer().description().startsWith("cid 1 port "), c.peer().description());
                OutputStream out = client.getOutputStream();
                out.write("ping".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = c.in();
                assertEquals("ping", new String(in.readNBytes(4), StandardCharsets.US_ASCII), String.valueOf(local));
            }
        } finally {
            endpoint.close();
        }
    }
}
