package org.jqga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jqga.activation.systemd.NativeFds;
import org.jqga.activation.systemd.RecordingPosix;
import org.jqga.activation.systemd.SystemdActivationProvider;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.SocketFamily;
import org.jqga.transport.inet.InetTransport;
import org.jqga.transport.unix.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * {@link InheritedSockets} with the real systemd provider and the built-in transports, on real sockets placed at
 * consecutive fd numbers as a supervisor places them (the first number is a parameter: a JVM cannot give a test fd
 * 3). Only {@code unsetenv} is recorded instead of done, so the JVM running the suite keeps its environment.
 */
class InheritedSocketsTest {
    private final RecordingPosix posix = new RecordingPosix();
    private final Activations systemdOnly = new Activations(List.of(new SystemdActivationProvider()));
    private final Transports builtIn = new Transports(List.of(new UnixTransport(), new InetTransport()));
    private final List<Integer> opened = new ArrayList<>();
    private final List<InheritedSockets> taken = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void release() {
        taken.forEach(InheritedSockets::close);
        opened.forEach(NativeFds::close);
    }

    private Map<String, String> listenFds(int count, String names) {
        Map<String, String> env = new HashMap<>();
        env.put("LISTEN_PID", Long.toString(posix.pid()));
        env.put("LISTEN_FDS", Integer.toString(count));
        if (names != null) {
            env.put("LISTEN_FDNAMES", names);
        }
        return env;
    }

    private InheritedSockets take(Map<String, String> env, int firstFd) throws ActivationException {
        InheritedSockets s = InheritedSockets.take(systemdOnly, env, posix, firstFd, builtIn, OptionalInt.empty());
        taken.add(s);
        return s;
    }

    private int unixListener(String file, int target) throws IOException {
        opened.add(NativeFds.unixSocket(dir.resolve(file), NativeFds.SOCK_STREAM, true, target));
        return target;
    }

    private static String echoOnce(ServerSocketChannel listener, SocketChannel client, String line)
            throws IOException {
        client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        try (SocketChannel accepted = listener.accept()) {
            ByteBuffer b = ByteBuffer.allocate(64);
            accepted.read(b);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoNamedUnixListenersComeWithTheirNamesAsJunixsocketChannels() throws Exception {
        int first = NativeFds.reserve(2);
        unixListener("a.sock", first);
        unixListener("b.sock", first + 1);
        InheritedSockets inherited = take(listenFds(2, "echo:other"), first);

        assertEquals(java.util.Optional.of("systemd"), inherited.activatedBy());
        List<InheritedSocket> sockets = inherited.sockets();
        assertEquals(List.of("echo", "other"), sockets.stream().map(InheritedSocket::name).toList());
        assertEquals(List.of(first, first + 1), sockets.stream().map(InheritedSocket::fd).toList());
        for (InheritedSocket s : sockets) {
            assertEquals(SocketFamily.UNIX, s.family());
            assertTrue(s.listening());
            assertInstanceOf(AFUNIXServerSocketChannel.class, s.listener());
            assertTrue(posix.isCloseOnExec(s.fd()), s + " is marked close-on-exec");
        }
        assertEquals(dir.resolve("b.sock").toString(), sockets.get(1).localAddress());
        assertEquals("fd " + first + " \"echo\": AF_UNIX stream listener " + dir.resolve("a.sock"),
                sockets.get(0).describe());
        assertTrue(posix.unset.containsAll(List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES")), posix.unset
                + " removes the supervisor's variables for children");
        assertTrue(inherited.explanation().get(0).startsWith("systemd (priority 100): LISTEN_PID=" + posix.pid()),
                inherited.explanation().toString());

        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("b.sock")))) {
            assertEquals("hello\n", echoOnce(sockets.get(1).listener(), client, "hello\n"));
        }
        IllegalStateException wrongKind = assertThrows(IllegalStateException.class, sockets.get(0)::connection);
        assertEquals(sockets.get(0).describe() + " is a listener, not a connection: use listener()",
                wrongKind.getMessage());
    }

    @Test
    void closingLeavesTheSupervisorsCopyListening() throws Exception {
        int fd = unixListener("kept.sock", NativeFds.reserve(1));
        int supervisorsCopy = NativeFds.dup(fd);
        opened.add(supervisorsCopy);
        InheritedSockets inherited = take(listenFds(1, null), fd);
        assertEquals(dir.resolve("kept.sock").toString(), inherited.sockets().get(0).name(),
                "no LISTEN_FDNAMES: named by its address");
        inherited.close();
        assertEquals(FileType.CHARACTER_DEVICE, posix.fileType(fd),
                "our reference to the socket is released; the number stays taken by /dev/null");

        // A shut-down listener would refuse this connection; the supervisor's copy must still accept it.
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("kept.sock")))) {
            assertTrue(client.isConnected());
            posix.close(posix.accept(supervisorsCopy).fd());
        }
    }

    @Test
    void aConnectionIsASocketChannel() throws Exception {
        int first = NativeFds.reserve(2);
        int[] pair = NativeFds.socketPair(first);
        opened.add(pair[1]);
        InheritedSockets inherited = take(listenFds(1, "connection"), first);
        InheritedSocket s = inherited.sockets().get(0);
        assertFalse(s.listening());
        assertEquals("connection", s.name());
        SocketChannel channel = s.connection();
        assertInstanceOf(AFUNIXSocketChannel.class, channel);
        channel.write(ByteBuffer.wrap("to the peer".getBytes(StandardCharsets.UTF_8)));
        byte[] got = new byte[32];
        int n = posix.read(pair[1], got, 0, got.length);
        assertEquals("to the peer", new String(got, 0, n, StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, s::listener);
    }

    @Test
    void aTcpListenerOnAHighFdIsAServerSocketChannel() throws Exception {
        int fd = NativeFds.tcpListener(NativeFds.reserve(1));
        opened.add(fd);
        InheritedSockets inherited = take(listenFds(1, "web"), fd);
        InheritedSocket s = inherited.sockets().get(0);
        assertEquals(SocketFamily.INET, s.family());
        String address = s.localAddress();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            assertEquals("over tcp\n", echoOnce(s.listener(), client, "over tcp\n"));
        }
    }

    @Test
    void aFileInsteadOfASocketIsAnErrorNamingTheFd() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("plain"), "x");
        int fd = NativeFds.regularFile(file, NativeFds.reserve(1));
        opened.add(fd);
        ActivationException e = assertThrows(ActivationException.class, () -> take(listenFds(1, "echo"), fd));
        assertTrue(e.getMessage().startsWith("fd " + fd + " (LISTEN_FDNAMES \"echo\") is a regular file"),
                e.getMessage());
        assertTrue(posix.unset.contains("LISTEN_FDS"), "removed in every outcome, as sd_listen_fds(1)");
    }

    @Test
    void startedPlainlyUnderTypeNotifyThereAreNoSocketsButANotifier() throws Exception {
        Path notify = dir.resolve("notify");
        try (AFUNIXDatagramSocket receiver = AFUNIXDatagramSocket.newInstance()) {
            receiver.bind(AFUNIXSocketAddress.of(notify));
            receiver.setSoTimeout(30_000);
            InheritedSockets inherited = take(Map.of("NOTIFY_SOCKET", notify.toString()), NativeFds.reserve(1));
            assertEquals(List.of(), inherited.sockets());
            assertEquals(java.util.Optional.empty(), inherited.activatedBy());
            inherited.notifier().ready();
            inherited.notifier().status("serving 1 socket");
            assertEquals("READY=1", receive(receiver));
            assertEquals("STATUS=serving 1 socket", receive(receiver));
            assertTrue(posix.unset.contains("NOTIFY_SOCKET"), "children do not inherit it");
        }
    }

    private static String receive(AFUNIXDatagramSocket receiver) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[512], 512);
        receiver.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void aJdkUnixClientIsServedByTheAdoptedChannelInNonBlockingModeToo() throws Exception {
        int fd = unixListener("nb.sock", NativeFds.reserve(1));
        ServerSocketChannel listener = take(listenFds(1, "nb"), fd).sockets().get(0).listener();
        listener.configureBlocking(false);
        assertEquals(null, listener.accept(), "no client yet: a non-blocking accept returns at once");
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(dir.resolve("nb.sock")));
            listener.configureBlocking(true);
            try (SocketChannel accepted = listener.accept()) {
                assertTrue(accepted.isConnected());
            }
        }
    }
}
