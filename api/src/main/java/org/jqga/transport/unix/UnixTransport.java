package org.jqga.transport.unix;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Connection;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.Peer;
import org.jqga.api.SysExits;
import org.jqga.api.posix.AcceptedSocket;
import org.jqga.api.posix.PeerCredentials;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.Transport;
import org.jqga.transport.socket.FdListeningEndpoint;
import org.jqga.transport.socket.FdSocketConnection;
import org.jqga.transport.socket.LazyPosix;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * AF_UNIX stream sockets: a listener we bind at a path, served on its descriptor through {@link Posix} ({@link
 * FdListeningEndpoint}: accept4, read, write); or a listener or connection a supervisor passed, served through
 * junixsocket ({@link InheritedUnixListener} says why). Either way the peer is what {@code SO_PEERCRED} says.
 */
public final class UnixTransport implements Transport {
    private final LazyPosix posix;

    /** The ServiceLoader's constructor: libc is bound on the first bind. */
    public UnixTransport() {
        this.posix = new LazyPosix();
    }

    UnixTransport(Posix posix) {
        this.posix = new LazyPosix(posix);
    }

    private Posix posix() {
        return posix.get();
    }

    @Override
    public String name() {
        return "unix";
    }

    @Override
    public boolean handles(SocketFamily family) {
        return family == SocketFamily.UNIX;
    }

    /**
     * Wraps a listener or connection a supervisor passed, on junixsocket: this is the socket-activated start, and
     * junixsocket reaches its first reply without binding libc (see {@link InheritedUnixListener}).
     */
    @Override
    public Endpoint adopt(int fd, SocketInfo info, String name) throws ActivationException {
        String description = adoptable(fd, info);
        try {
            FileDescriptorCast cast = FileDescriptorCast.unsafeUsing(fd);
            if (info.listening()) {
                return new InheritedUnixListener(cast.as(AFUNIXServerSocket.class), name, description);
            }
            // A connection the supervisor accepted for us (systemd Accept=yes, inetd nowait, UCSPI): served once.
            AFUNIXSocket socket = cast.as(AFUNIXSocket.class);
            return Endpoints.oneShot(name, EndpointKind.UNIX, description,
                    Endpoints.socketConnection(socket, InheritedUnixListener.peerOf(socket)));
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR,
                    description + ": cannot be adopted as an AF_UNIX socket: " + e.getMessage(), e);
        }
    }

    /**
     * junixsocket's channels: an {@code AFUNIXServerSocketChannel} for a listener (never unlinking its path; its
     * close shuts the socket down, see {@link org.jqga.api.InheritedSocket}), or an {@code AFUNIXSocketChannel} for
     * a connection.
     */
    @Override
    public NetworkChannel adoptChannel(int fd, SocketInfo info) throws ActivationException {
        String description = adoptable(fd, info);
        try {
            FileDescriptorCast cast = FileDescriptorCast.unsafeUsing(fd);
            if (info.listening()) {
                AFUNIXServerSocket server = cast.as(AFUNIXServerSocket.class);
                server.setShutdownOnClose(false);
                server.setDeleteOnClose(false);
                return server.getChannel();
            }
            return cast.as(AFUNIXSocket.class).getChannel();
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR,
                    description + ": cannot be adopted as an AF_UNIX channel: " + e.getMessage(), e);
        }
    }

    private static Connection connection(Posix posix, AcceptedSocket socket) {
        return new FdSocketConnection(posix, socket.fd(), peerOf(posix, socket.fd()), "AF_UNIX connection");
    }

    /** The peer's uid, gid and pid from {@code SO_PEERCRED}, as the kernel recorded them at connect. */
    static Peer peerOf(Posix posix, int fd) {
        try {
            PeerCredentials c = posix.peerCredentials(fd);
            return Peer.credentials(c.uid(), c.gid(), c.pid());
        } catch (PosixException e) {
            return Peer.unknown("AF_UNIX peer of fd " + fd + " (credentials unavailable: " + e.getMessage() + ")");
        }
    }

    /**
     * Binds {@code address}. A socket file left by a dead process (nobody accepts on it) is replaced; a live one,
     * or a file that is not a socket, is an error rather than something to delete.
     */
    @Override
    public Endpoint bind(String address, BindOptions options) throws IOException {
        Path path = Path.of(address);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocketFile(path)) {
                throw new IOException(path + " exists and is not a socket; refusing to replace it");
            }
            if (isLive(path)) {
                throw new IOException(path + " is a socket that another process is listening on");
            }
            Files.delete(path);
        }
        Posix p = posix();
        int fd = bindPrivately(path, options);
        String description = "AF_UNIX stream listener " + path + " (mode "
                + String.format("%04o", options.socketMode()) + ")";
        return new FdListeningEndpoint(p, fd, address, EndpointKind.UNIX, description,
                FdListeningEndpoint.Ownership.BOUND, UnixTransport::connection, () -> removeSocketFile(path));
    }

    private static void removeSocketFile(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.getLogger(UnixTransport.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot remove socket file " + path + ": " + e.getMessage());
        }
    }

    private static boolean isSocketFile(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return ((Integer) mode & 0170000) == 0140000;
    }

    /** Whether someone accepts on {@code path}: a connect that is refused means the file is stale. */
    private static boolean isLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false; // ECONNREFUSED: nobody listens, the file is stale.
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** The libc calls for binding with a narrowed umask, which the JDK does not offer. */
    public interface Sockets {
        Sockets LIBC = jnr.ffi.LibraryLoader.create(Sockets.class).load("c");

        int socket(int domain, int type, int protocol);

        int bind(int fd, jnr.ffi.Pointer address, int length);

        int listen(int fd, int backlog);

        int close(int fd);

        int umask(int mask);

        String strerror(int errno);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM_CLOEXEC = 1 | 02000000;
    private static final int SUN_PATH_SIZE = 108;

    /**
     * bind() creates the socket file with mode 0777 & ~umask: binding and chmod-ing afterwards leaves a moment in
     * which anyone may connect (a test saw rw-rw-rw-). So the socket is bound here with the umask narrowed to owner
     * read/write, born 0600, and given the requested mode after that. The umask is process-wide: a file another
     * thread creates in that instant is created stricter, never looser.
     */
    private static int bindPrivately(Path path, BindOptions options) throws IOException {
        byte[] name = path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_SIZE) {
            throw new IOException("cannot bind AF_UNIX socket " + path + ": the path is " + name.length
                    + " bytes long, at most " + (SUN_PATH_SIZE - 1) + " fit in a socket address");
        }
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(Sockets.LIBC);
        int fd = Sockets.LIBC.socket(AF_UNIX, SOCK_STREAM_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot create an AF_UNIX socket: " + Sockets.LIBC.strerror(runtime.getLastError()));
        }
        boolean ok = false;
        boolean bound = false;
        try {
            jnr.ffi.Pointer address = jnr.ffi.Memory.allocateDirect(runtime, 2 + SUN_PATH_SIZE, true);
            address.putShort(0, (short) AF_UNIX);
            address.put(2, name, 0, name.length);
            int rc;
            int errno;
            synchronized (UnixTransport.class) {
                int previous = Sockets.LIBC.umask(0177);
                rc = Sockets.LIBC.bind(fd, address, 2 + name.length + 1);
                errno = runtime.getLastError();
                Sockets.LIBC.umask(previous);
            }
            if (rc < 0) {
                throw new IOException("cannot bind AF_UNIX socket " + path + ": " + Sockets.LIBC.strerror(errno));
            }
            bound = true;
            Files.setPosixFilePermissions(path, permissions(options.socketMode()));
            if (Sockets.LIBC.listen(fd, options.backlog()) < 0) {
                throw new IOException("cannot listen on AF_UNIX socket " + path + ": "
                        + Sockets.LIBC.strerror(runtime.getLastError()));
            }
            ok = true;
            return fd;
        } finally {
            if (!ok) {
                Sockets.LIBC.close(fd);
                if (bound) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Override
    public String describeBind(String address) {
        return "AF_UNIX stream listener " + Path.of(address);
    }

    @Override
    public String toString() {
        return "unix transport";
    }
}
