package org.jqga.transport.unix;

import java.io.File;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        // The path is removed by the endpoint (it knows the final name); junixsocket would try the private one.
        server.setDeleteOnClose(false);
        Path privateDir = null;
        try {
            // bind() creates the file with the process umask applied to 0777, so binding at the final path and
            // chmod-ing afterwards leaves a moment in which anyone may connect. Instead the socket is bound inside
            // a fresh directory only we can enter (0700 from its creation), given its final mode there, and
            // rename()d into place: the final path never names a socket with other permissions.
            Path parent = path.toAbsolutePath().getParent();
            privateDir = Files.createTempDirectory(parent, ".jqga-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path inside = privateDir.resolve("s");
            server.bind(AFUNIXSocketAddress.of(inside.toFile()), options.backlog());
            Files.setPosixFilePermissions(inside, permissions(options.socketMode()));
            Files.move(inside, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind AF_UNIX socket " + path + ": " + e.getMessage(), e);
        } finally {
            if (privateDir != null) {
                deletePrivateDirectory(privateDir);
            }
        }
        return new UnixListeningEndpoint(server, address,
                "AF_UNIX stream listener " + path + " (mode " + String.format("%04o", options.socketMode()) + ")",
                path);
    }

    private static void deletePrivateDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.getLogger(UnixTransport.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot remove the private bind directory " + dir + ": " + e.getMessage());
        }
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

    @Override
    public String describeBind(String address) {
        return "AF_UNIX stream listener " + Path.of(address);
    }

    @Override
    public String toString() {
        return "unix transport";
    }
}
