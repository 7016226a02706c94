package org.jqga.api.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real libc binding against real descriptors: what providers rely on to prove what an fd is. */
class NativePosixTest {
    private final Posix posix = Posix.load();

    @TempDir
    Path dir;

    interface Opener<T> {
        T open() throws IOException;
    }

    /**
     * Opens something and finds the single descriptor it created, from /proc/self/fd: a number whose target is new
     * (comparing targets, not numbers, since another thread may close and the JVM reuse an fd in between).
     */
    private static <T> int fdOf(Opener<T> opener, Set<Object> keep) throws IOException {
        Map<Integer, String> before = openFds();
        keep.add(opener.open());
        Map<Integer, String> after = openFds();
        Set<Integer> created = new HashSet<>();
        after.forEach((fd, target) -> {
            if (!target.equals(before.get(fd))) {
                created.add(fd);
            }
        });
        assertEquals(1, created.size(), "expected one new fd, got " + created);
        return created.iterator().next();
    }

    private static Map<Integer, String> openFds() {
        List<Path> listed;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            listed = fds.collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The listing's own directory fd is closed by now: keep only what is still open.
        Map<Integer, String> open = new HashMap<>();
        for (Path p : listed) {
            try {
                open.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
            } catch (IOException e) {
                // closed since the listing
            }
        }
        return open;
    }

    private static void closeAll(Set<Object> keep) throws Exception {
        for (Object o : keep) {
            ((AutoCloseable) o).close();
        }
    }

    @Test
    void pidIsThisProcess() {
        assertEquals(ProcessHandle.current().pid(), posix.pid());
    }

    @Test
    void aUnixListenerIsProvenAsSuch() throws Exception {
        Set<Object> keep = new HashSet<>();
        Path path = dir.resolve("l.sock");
        try {
            int fd = fdOf(() -> {
                ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                s.bind(UnixDomainSocketAddress.of(path));
                return s;
            }, keep);
            assertEquals(FileType.SOCKET, posix.fileType(fd));
            SocketInfo info = posix.socketInfo(fd);
            assertEquals(SocketFamily.UNIX, info.family());
            assertEquals(SocketType.STREAM, info.type());
            assertTrue(info.listening());
            assertFalse(info.connected());
            assertEquals(path.toString(), info.localAddress());
            assertEquals("AF_UNIX " + SocketType.STREAM + " listener " + path, info.describe());
        } finally {
            closeAll(keep);
        }
    }

    @Test
    void aConnectedUnixSocketCarriesThePeersCredentials() throws Exception {
        Set<Object> keep = new HashSet<>();
        Path path = dir.resolve("c.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            int fd = fdOf(() -> SocketChannel.open(UnixDomainSocketAddress.of(path)), keep);
            try (SocketChannel accepted = server.accept()) {
                SocketInfo info = posix.socketInfo(fd);
                assertTrue(info.connected());
                assertFalse(info.listening());
                PeerCredentials peer = posix.peerCredentials(fd);
                assertEquals(ProcessHandle.current().pid(), peer.pid());
                assertEquals(Files.getAttribute(dir, "unix:uid"), (int) peer.uid());
            }
        } finally {
            closeAll(keep);
        }
    }

    /**
     * What /proc answers must be what libc answers, for every kind of fd an activation meets; and /proc must answer
     * for the AF_UNIX sockets (else the start-up path would silently bind libc again), never for other families.
     */
    @Test
    void procAndLibcAgreeOnEveryKindOfDescriptor() throws Exception {
        Posix libcOnly = new NativePosix(new ProcFds(dir.resolve("no-proc")));
        ProcFds proc = new ProcFds(ProcFds.SELF);
        Set<Object> keep = new HashSet<>();
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path listening = dir.resolve("l.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            int listener = fdOf(() -> {
                ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                s.bind(UnixDomainSocketAddress.of(listening));
                return s;
            }, keep);
            Path connectTo = dir.resolve("c.sock");
            server.bind(UnixDomainSocketAddress.of(connectTo));
            int connected = fdOf(() -> {
                SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(connectTo));
                c.configureBlocking(false);
                return c;
            }, keep);
            keep.add(server.accept());
            int unbound = fdOf(() -> SocketChannel.open(StandardProtocolFamily.UNIX), keep);
            int tcp = fdOf(() -> ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    0)), keep);
            int regular = fdOf(() -> FileChannel.open(file, StandardOpenOption.READ), keep);
            for (int unix : new int[] {listener, connected, unbound}) {
                assertEquals(libcOnly.socketInfo(unix), proc.unixSocketInfo(unix).orElseThrow(), "fd " + unix);
                assertEquals(libcOnly.socketInfo(unix), posix.socketInfo(unix), "fd " + unix);
            }
            assertTrue(proc.unixSocketInfo(tcp).isEmpty(), "an AF_INET socket is libc's to describe");
            assertTrue(proc.unixSocketInfo(regular).isEmpty(), "a file is no socket");
            assertEquals(libcOnly.socketInfo(tcp), posix.socketInfo(tcp));
            for (int fd : new int[] {listener, connected, unbound, tcp, regular}) {
                assertEquals(libcOnly.fileType(fd), proc.fileType(fd).orElseThrow(), "fd " + fd);
                assertEquals(libcOnly.fileKey(fd), proc.fileKey(fd).orElseThrow(), "fd " + fd);
                assertEquals(libcOnly.isCloseOnExec(fd), proc.isCloseOnExec(fd).orElseThrow(), "fd " + fd);
                assertTrue(proc.isOpen(fd).orElseThrow());
            }
            for (int fd : new int[] {listener, tcp, regular}) {
                assertEquals(false, proc.isatty(fd).orElseThrow(), "fd " + fd);
            }
            int devNull = fdOf(() -> FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ), keep);
            assertEquals(false, proc.isatty(devNull).orElseThrow(), "/dev/null is the mem driver's");
            assertEquals(libcOnly.isatty(devNull), posix.isatty(devNull));
            libcOnly.setCloseOnExec(regular);
            assertEquals(true, proc.isCloseOnExec(regular).orElseThrow());
        } finally {
            closeAll(keep);
        }
        int closed = fdOf(() -> FileChannel.open(file, StandardOpenOption.READ), keep);
        closeAll(keep);
        assertEquals(false, proc.isOpen(closed).orElseThrow());
        assertTrue(proc.fileType(closed).isEmpty(), "a closed fd is libc's to report, with its errno");
        assertTrue(new ProcFds(dir.resolve("no-proc")).isOpen(0).isEmpty(), "without /proc nothing is answered");
    }

    /**
     * unsetenv removes the variable from the C environment, which a child started without touching
     * {@link ProcessBuilder#environment()} inherits (the JVM's own snapshot keeps it). The variable is one of this
     * JVM's that nothing here reads (never PATH, HOME, the locale, TZ or the JVM's).
     */
    @Test
    void unsetenvRemovesAVariableFromTheEnvironmentChildrenInherit() throws Exception {
        String name = System.getenv().keySet().stream().sorted()
                .filter(n -> n.matches("[A-Z_][A-Z0-9_]*") && !n.matches("PATH|HOME|LANG|LC_.*|TZ|JAVA.*|JDK.*|LD_.*|TMPDIR"))
                .findFirst().orElseThrow(() -> new AssertionError("no spare environment variable in "
                        + System.getenv().keySet()));
        assertTrue(childEnvironment().contains("\n" + name + "="), name + " is inherited before");
        posix.unsetenv(name);
        assertFalse(childEnvironment().contains("\n" + name + "="), name + " is not inherited after unsetenv");
        assertTrue(System.getenv().containsKey(name), "the JVM's snapshot keeps it, as ActivationEnvironment says");
    }

    private static String childEnvironment() throws Exception {
        Process env = new ProcessBuilder("/usr/bin/env").redirectErrorStream(true).start();
        String text = "\n" + new String(env.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, env.waitFor());
        return text;
    }

    @Test
    void anInetDatagramSocketIsNotAStreamListener() throws Exception {
        Set<Object> keep = new HashSet<>();
        try {
            int fd = fdOf(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), keep);
            SocketInfo info = posix.socketInfo(fd);
            assertEquals(SocketFamily.INET, info.family());
            assertEquals(SocketType.DGRAM, info.type());
            assertFalse(info.listening());
            assertTrue(info.localAddress().startsWith("127.0.0.1:"), info.localAddress());
        } finally {
            closeAll(keep);
        }
    }

    @Test
    void aRegularFileIsNamedAndIsNotASocket() throws Exception {
        Set<Object> keep = new HashSet<>();
        Path file = Files.writeString(dir.resolve("f"), "x");
        try {
            int fd = fdOf(() -> FileChannel.open(file, StandardOpenOption.READ), keep);
            assertEquals(FileType.REGULAR, posix.fileType(fd));
            assertFalse(posix.isatty(fd));
            PosixException e = assertThrows(PosixException.class, () -> posix.socketInfo(fd));
            assertEquals(88, e.errno()); // ENOTSOCK
            assertTrue(e.getMessage().contains("fd " + fd), e.getMessage());
        } finally {
            closeAll(keep);
        }
    }

    @Test
    void aPipeIsAFifo() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            int found = -1;
            for (Map.Entry<Integer, String> fd : openFds().entrySet()) {
                if (fd.getValue().startsWith("pipe:")) {
                    found = fd.getKey();
                }
            }
            assertTrue(found >= 0, "no pipe fd in /proc/self/fd");
            assertEquals(FileType.FIFO, posix.fileType(found));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void closeOnExecCanBeReadAndSet() throws Exception {
        Set<Object> keep = new HashSet<>();
        Path file = Files.writeString(dir.resolve("g"), "x");
        try {
            int fd = fdOf(() -> FileChannel.open(file, StandardOpenOption.READ), keep);
            assertTrue(posix.isOpen(fd));
            posix.setCloseOnExec(fd);
            assertTrue(posix.isCloseOnExec(fd));
        } finally {
            closeAll(keep);
        }
    }

    @Test
    void aClosedDescriptorIsNotOpenAndInspectingItSaysSo() throws Exception {
        Set<Object> keep = new HashSet<>();
        Path file = Files.writeString(dir.resolve("h"), "x");
        int fd = fdOf(() -> FileChannel.open(file, StandardOpenOption.READ), keep);
        closeAll(keep);
        assertFalse(posix.isOpen(fd));
        PosixException e = assertThrows(PosixException.class, () -> posix.fileType(fd));
        assertEquals(9, e.errno()); // EBADF
    }

    @Test
    void aDirectoryOpensCloseOnExecAndThawingAFilesystemThatIsNotFrozenIsRefused() throws Exception {
        int fd = posix.openReadOnly(dir.toString());
        try {
            assertTrue(posix.isCloseOnExec(fd));
            // FITHAW on a filesystem nobody froze: EINVAL (or EPERM without CAP_SYS_ADMIN). Never FIFREEZE here:
            // the temporary directory is on the machine's own filesystem.
            PosixException e = assertThrows(PosixException.class, () -> posix.thawFilesystem(fd));
            assertTrue(e.errno() == 22 || e.errno() == 1, e.getMessage());
        } finally {
            posix.close(fd);
        }
        PosixException missing = assertThrows(PosixException.class,
                () -> posix.openReadOnly(dir.resolve("absent").toString()));
        assertEquals(2, missing.errno());
        assertEquals("open(" + dir.resolve("absent") + "): No such file or directory", missing.getMessage());
    }
}
