package org.jqga.transport.unix;

import java.io.File;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.Peer;
import org.jqga.api.SysExits;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.Transport;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/** AF_UNIX stream sockets. */
public final class UnixTransport implements Transport {
    @Override
    public String name() {
        return "unix";
    }

    @Override
    public boolean handles(SocketFamily family) {
        return family == SocketFamily.UNIX;
    }

    @Override
    public Endpoint adopt(int fd, SocketInfo info, String name) throws ActivationException {
        String description = "fd " + fd + ": " + info.describe();
        try {
            FileDescriptorCast cast = FileDescriptorCast.unsafeUsing(fd);
            if (info.listening()) {
                AFUNIXServerSocket server = cast.as(AFUNIXServerSocket.class);
                return new UnixListeningEndpoint(server, name, description);
            }
            AFUNIXSocket socket = cast.as(AFUNIXSocket.class);
            return Endpoints.oneShot(name, EndpointKind.UNIX, description,
                    Endpoints.socketConnection(socket, UnixListeningEndpoint.peerOf(socket)));
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR,
                    description + ": cannot be adopted as an AF_UNIX socket: " + e.getMessage(), e);
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
        AFUNIXServerSocket server = bindPrivately(path, options);
        return new UnixListeningEndpoint(server, address,
                "AF_UNIX stream listener " + path + " (mode " + String.format("%04o", options.socketMode()) + ")",
                path);
    }

    private static boolean isSocketFile(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return ((Integer) mode & 0170000) == 0140000;
    }

    private static boolean isLive(Path path) {
        try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
            probe.connect(AFUNIXSocketAddress.of(new File(path.toString())));
            return true;
        } catch (SocketException e) {
            return false; // ECONNREFUSED: nobody listens, the file is stale.
        } catch (IOException e) {
            return false;
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

    /** The libc calls for binding with a narrowed umask, which neither the JDK nor junixsocket offer. */
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
     * bind() creates the socket file with mode 0777 & ~umask, and junixsocket's bind then chmods it to 0666: binding
     * and chmod-ing afterwards leaves a moment in which anyone may connect (a test saw rw-rw-rw-). So the socket is
     * bound here with the umask narrowed to owner read/write, born 0600, and given the requested mode after that;
     * junixsocket adopts the listening descriptor. (Binding in a private directory and renaming the file into place
     * does not work with junixsocket: its listener closes itself once the path it was bound to is gone.) The umask
     * is process-wide: a file another thread creates in that instant is created stricter, never looser.
     */
    private static AFUNIXServerSocket bindPrivately(Path path, BindOptions options) throws IOException {
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
            AFUNIXServerSocket server = FileDescriptorCast.unsafeUsing(fd).as(AFUNIXServerSocket.class);
            server.setDeleteOnClose(false); // the endpoint removes the path
            ok = true;
            return server;
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
