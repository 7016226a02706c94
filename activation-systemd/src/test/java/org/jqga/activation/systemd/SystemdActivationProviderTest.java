package org.jqga.activation.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.InheritanceCleanup;
import org.jqga.api.ActivationException;
import org.jqga.api.ActivationOptions;
import org.jqga.api.Activations;
import org.jqga.api.Connection;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.StreamEndpoint;
import org.jqga.api.SysExits;
import org.jqga.api.Transports;
import org.jqga.api.spi.ActivationProvider;
import org.jqga.transport.unix.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against real descriptors placed where a supervisor would place them. */
class SystemdActivationProviderTest {
    private final SystemdActivationProvider provider = new SystemdActivationProvider();
    private final RecordingPosix posix = new RecordingPosix();
    private final Transports unixOnly = new Transports(List.of(new UnixTransport()));
    private final List<Integer> opened = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void release() {
        activations.forEach(Activation::close);
        opened.forEach(NativeFds::close);
    }

    private ActivationContext context(Map<String, String> env, int firstFd, ActivationOptions options) {
        return new ActivationContext(env, posix.pid(), posix, options, unixOnly, firstFd);
    }

    private Map<String, String> ours(int count, String names) {
        Map<String, String> env = new HashMap<>();
        env.put("LISTEN_PID", Long.toString(posix.pid()));
        env.put("LISTEN_FDS", Integer.toString(count));
        if (names != null) {
            env.put("LISTEN_FDNAMES", names);
        }
        return env;
    }

    private Activation activate(Map<String, String> env, int firstFd, ActivationOptions options)
            throws ActivationException {
        Activation a = provider.activate(context(env, firstFd, options)).orElseThrow();
        activations.add(a);
        return a;
    }

    private int listener(String file, int target) throws IOException {
        opened.add(NativeFds.unixSocket(dir.resolve(file), NativeFds.SOCK_STREAM, true, target));
        return target;
    }

    private static String ping(Path socket, ListeningEndpoint endpoint) throws Exception {
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(socket));
            client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            try (Connection c = endpoint.accept()) {
                return new String(c.in().readNBytes(5), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void isRegisteredWithAPriorityAboveTheOtherProviders() {
        List<ActivationProvider> found = ServiceLoader.load(ActivationProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertTrue(found.stream().anyMatch(p -> p instanceof SystemdActivationProvider), found.toString());
        assertTrue(provider.priority() > 50, "inetd sits below systemd, manual at 0");
        assertEquals("systemd", new Activations(found).providers().get(0).name());
    }

    @Test
    void withoutListenPidTheProcessIsNotOurs() throws Exception {
        ActivationContext ctx = context(Map.of("LISTEN_FDS", "1"), 3, ActivationOptions.defaults());
        assertEquals(Optional.empty(), provider.activate(ctx));
        assertTrue(provider.explain(ctx).contains("LISTEN_PID is not"), provider.explain(ctx));
        assertEquals(List.of("LISTEN_FDS"), posix.unset);
    }

    @Test
    void listenPidOfAnotherProcessIsIgnoredAndRemoved() throws Exception {
        Map<String, String> env = Map.of("LISTEN_PID", "1", "LISTEN_FDS", "abc", "LISTEN_FDNAMES", "x");
        ActivationContext ctx = context(env, 3, ActivationOptions.defaults());
        assertEquals(Optional.empty(), provider.activate(ctx));
        assertTrue(provider.explain(ctx).contains("LISTEN_PID=1 names another process"), provider.explain(ctx));
        assertEquals(List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"), posix.unset);
    }

    @Test
    void malformedListenFdsIsAPreciseError() {
        for (String bad : List.of("abc", "-1", "1.5", "")) {
            ActivationException e = assertThrows(ActivationException.class,
                    () -> provider.activate(context(withFds(bad), 3, ActivationOptions.defaults())));
            assertEquals(SysExits.EX_DATAERR, e.exitCode());
            assertTrue(e.getMessage().startsWith("LISTEN_FDS"), e.getMessage());
            assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("whole number"), e.getMessage());
        }
        assertTrue(posix.unset.containsAll(List.of("LISTEN_PID", "LISTEN_FDS")), "removed even when malformed");
    }

    private Map<String, String> withFds(String value) {
        Map<String, String> env = ours(0, null);
        env.put("LISTEN_FDS", value);
        return env;
    }

    @Test
    void malformedListenPidIsAPreciseError() {
        ActivationException e = assertThrows(ActivationException.class, () -> provider.activate(
                context(Map.of("LISTEN_PID", "me", "LISTEN_FDS", "1"), 3, ActivationOptions.defaults())));
        assertTrue(e.getMessage().contains("LISTEN_PID=\"me\""), e.getMessage());
    }

    @Test
    void anFdThatIsNotOpenIsNamed() {
        int first = NativeFds.reserve(2);
        ActivationException e = assertThrows(ActivationException.class,
                () -> provider.activate(context(ours(2, "a:b"), first, ActivationOptions.defaults())));
        assertEquals("fd " + first + " (LISTEN_FDNAMES \"a\") is not open, but LISTEN_FDS=2 promises open fds "
                + first + ".." + (first + 1), e.getMessage());
        assertEquals(SysExits.EX_CONFIG, e.exitCode());
    }

    @Test
    void aNameCountThatDiffersFromListenFdsIsAnError() throws Exception {
        int fd = listener("a.sock", NativeFds.reserve(1));
        ActivationException e = assertThrows(ActivationException.class,
                () -> provider.activate(context(ours(1, "x:y"), fd, ActivationOptions.defaults())));
        assertTrue(e.getMessage().startsWith("LISTEN_FDNAMES=\"x:y\" has 2 names but LISTEN_FDS=1"), e.getMessage());
        assertTrue(posix.isCloseOnExec(fd), "fds are marked close-on-exec before the names are checked");
    }

    @Test
    void aDeferredCleanupMarksAndUnsetsOnlyWhenTheDaemonRunsIt() throws Exception {
        int fd = listener("qga.sock", NativeFds.reserve(1));
        Map<String, String> env = ours(1, null);
        env.put("NOTIFY_SOCKET", "/run/systemd/notify-not-used");
        InheritanceCleanup cleanup = InheritanceCleanup.deferred();
        Activation a = provider.activate(new ActivationContext(env, posix.pid(), posix, ActivationOptions.defaults(),
                unixOnly, fd, cleanup)).orElseThrow();
        activations.add(a);
        assertFalse(posix.isCloseOnExec(fd), "deferred: not marked before the daemon asks");
        assertEquals(List.of(), posix.unset, "deferred: nothing unset before the daemon asks");
        ListeningEndpoint e = assertInstanceOf(ListeningEndpoint.class, a.endpoints().get(0));
        assertEquals("hello", ping(dir.resolve("qga.sock"), e), "served before the clean-up");
        assertEquals(0, cleanup.runDeferred());
        assertTrue(posix.isCloseOnExec(fd));
        assertTrue(posix.unset.containsAll(List.of("LISTEN_PID", "LISTEN_FDS", "NOTIFY_SOCKET")),
                posix.unset.toString());
        int unsetOnce = posix.unset.size();
        assertEquals(0, cleanup.runDeferred(), "a second run has nothing left to do");
        assertEquals(unsetOnce, posix.unset.size());
    }

    @Test
    void oneListenerIsServedAndMarkedCloseOnExec() throws Exception {
        int fd = listener("qga.sock", NativeFds.reserve(1));
        assertFalse(posix.isCloseOnExec(fd));
        Activation a = activate(ours(1, null), fd, ActivationOptions.defaults());
        assertTrue(posix.isCloseOnExec(fd));
        assertFalse(a.ownsSockets());
        ListeningEndpoint e = assertInstanceOf(ListeningEndpoint.class, a.endpoints().get(0));
        assertEquals(dir.resolve("qga.sock").toString(), e.name(), "no LISTEN_FDNAMES: named by its address");
        assertEquals("hello", ping(dir.resolve("qga.sock"), e));
        assertTrue(posix.unset.containsAll(List.of("LISTEN_PID", "LISTEN_FDS")), posix.unset.toString());
    }

    @Test
    void everyPassedListenerIsServedUnderItsName() throws Exception {
        int first = NativeFds.reserve(2);
        listener("one.sock", first);
        listener("two.sock", first + 1);
        Activation a = activate(ours(2, "one:two"), first, ActivationOptions.defaults());
        assertEquals(List.of("one", "two"), a.endpoints().stream().map(x -> x.name()).toList());
        assertEquals("hello", ping(dir.resolve("two.sock"), (ListeningEndpoint) a.endpoints().get(1)));
        assertEquals("hello", ping(dir.resolve("one.sock"), (ListeningEndpoint) a.endpoints().get(0)));
    }

    @Test
    void listenNameSelectsFdsAndReleasesTheOthers() throws Exception {
        int first = NativeFds.reserve(3);
        listener("a.sock", first);
        listener("b.sock", first + 1);
        listener("c.sock", first + 2);
        Activation a = activate(ours(3, "a:b:c"), first,
                ActivationOptions.builder().listenNames(List.of("c", "a")).build());
        assertEquals(List.of("a", "c"), a.endpoints().stream().map(x -> x.name()).toList());
        assertEquals(List.of(first + 1), posix.closed);
        opened.remove(Integer.valueOf(first + 1));
    }

    @Test
    void anUnknownListenNameIsAUsageError() throws Exception {
        int fd = listener("a.sock", NativeFds.reserve(1));
        ActivationException e = assertThrows(ActivationException.class, () -> provider.activate(context(
                ours(1, "qga"), fd, ActivationOptions.builder().listenNames(List.of("vsock")).build())));
        assertEquals("--listen-name=vsock: no passed fd has that name (LISTEN_FDNAMES=qga)", e.getMessage());
        assertEquals(SysExits.EX_USAGE, e.exitCode());
    }

    @Test
    void aConnectedSocketIsOneConnectionAsForAcceptYes() throws Exception {
        int[] pair = NativeFds.socketPair(NativeFds.reserve(2));
        opened.add(pair[1]);
        Activation a = activate(ours(1, "connection"), pair[0], ActivationOptions.defaults());
        StreamEndpoint e = assertInstanceOf(StreamEndpoint.class, a.endpoints().get(0));
        Connection c = e.open().orElseThrow();
        c.out().write("pong".getBytes(StandardCharsets.US_ASCII));
        c.out().flush();
        c.close();
        assertEquals(Optional.empty(), e.open(), "one connection, then the endpoint is finished");
    }

    @Test
    void aRegularFileIsRejectedWithWhatItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("state.txt"), "x");
        int fd = NativeFds.regularFile(file, NativeFds.reserve(1));
        opened.add(fd);
        ActivationException e = assertThrows(ActivationException.class,
                () -> provider.activate(context(ours(1, "qga"), fd, ActivationOptions.defaults())));
        assertEquals("fd " + fd + " (LISTEN_FDNAMES \"qga\") is a regular file " + file + ", but expected a stream"
                + " socket (listening, or connected for Accept=yes) (ListenFIFO= and ListenSpecial= cannot carry QGA"
                + " connections)", e.getMessage());
        assertEquals(SysExits.EX_CONFIG, e.exitCode());
    }

    @Test
    void aDatagramSocketIsRejected() throws Exception {
        int fd = NativeFds.unixSocket(dir.resolve("dgram.sock"), NativeFds.SOCK_DGRAM, false, NativeFds.reserve(1));
        opened.add(fd);
        ActivationException e = assertThrows(ActivationException.class,
                () -> provider.activate(context(ours(1, null), fd, ActivationOptions.defaults())));
        assertEquals("fd " + fd + " is an AF_UNIX datagram socket (neither listening nor connected) " + dir
                + "/dgram.sock, but expected a stream socket (listening, or connected for Accept=yes): QGA is a byte"
                + " stream (use ListenStream=, not ListenDatagram= or ListenSequentialPacket=)", e.getMessage());
    }

    @Test
    void aStreamSocketThatNeitherListensNorIsConnectedIsRejected() throws Exception {
        int fd = NativeFds.unboundStreamSocket(NativeFds.reserve(1));
        opened.add(fd);
        ActivationException e = assertThrows(ActivationException.class,
                () -> provider.activate(context(ours(1, null), fd, ActivationOptions.defaults())));
        assertTrue(e.getMessage().endsWith("nothing can be accepted or read on it"), e.getMessage());
    }

    @Test
    void aVsockListenerWithoutTheVsockTransportNamesTheModule() throws Exception {
        int fd = NativeFds.vsockListener(49152 + (int) (posix.pid() % 10000), NativeFds.reserve(1));
        org.junit.jupiter.api.Assumptions.assumeTrue(fd >= 0, "this kernel cannot create an AF_VSOCK listener");
        opened.add(fd);
        ActivationException e = assertThrows(ActivationException.class,
                () -> provider.activate(context(ours(1, "vsock"), fd, ActivationOptions.defaults())));
        assertTrue(e.getMessage().startsWith("fd " + fd + " (LISTEN_FDNAMES \"vsock\"): AF_VSOCK stream listener"
                + " vsock:4294967295:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("but no transport for AF_VSOCK is installed (add jqga-transport-vsock to"
                + " the class path)"), e.getMessage());
        assertEquals(SysExits.EX_UNAVAILABLE, e.exitCode());
    }

    @Test
    void passedFdsWinOverMethodAndPathAsInQemuGa() throws Exception {
        int fd = listener("qga.sock", NativeFds.reserve(1));
        ActivationOptions options = ActivationOptions.builder().method("unix-listen")
                .path(dir.resolve("other.sock").toString()).build();
        assertTrue(provider.explain(context(ours(1, null), fd, options))
                .endsWith("--method=unix-listen --path=" + dir.resolve("other.sock") + " would be ignored (qemu-ga's"
                        + " rule)"));
        Activation a = activate(ours(1, null), fd, options);
        assertEquals("systemd", a.providerName());
        assertFalse(Files.exists(dir.resolve("other.sock")));
    }

    @Test
    void explainDescribesEachFdWithoutTouchingAnything() throws Exception {
        int first = NativeFds.reserve(2);
        listener("a.sock", first);
        NativeFds.unixSocket(dir.resolve("d.sock"), NativeFds.SOCK_DGRAM, false, first + 1);
        opened.add(first + 1);
        String line = provider.explain(context(ours(2, "a:d"), first, ActivationOptions.defaults()));
        assertTrue(line.startsWith("LISTEN_PID=" + posix.pid() + " is this process; LISTEN_FDS=2 (fds " + first + ".."
                + (first + 1) + ") LISTEN_FDNAMES=a:d; would serve fd " + first + " (LISTEN_FDNAMES \"a\"): AF_UNIX"
                + " stream listener " + dir + "/a.sock via unix transport; would fail: fd " + (first + 1)), line);
        assertFalse(posix.isCloseOnExec(first), "explain has no side effects");
        assertTrue(posix.unset.isEmpty());
    }
}
