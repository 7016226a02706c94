package org.jqga.transport.vsock;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.channels.NetworkChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Connection;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.Peer;
import org.jqga.api.SysExits;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.Transport;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.newsclub.net.unix.AFVSOCKSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * AF_VSOCK stream sockets: bind {@code CID:PORT}, adopt an inherited listener (systemd's
 * {@code ListenStream=vsock::PORT}) or connection, accept, and the peer's CID and port as the {@link Peer}.
 */
public final class VsockTransport implements Transport {
    /** The node the vsock core module registers; its absence means the kernel has no AF_VSOCK at all. */
    static final Path DEV_VSOCK = Path.of("/dev/vsock");

    @Override
    public String name() {
        return "vsock";
    }

    @Override
    public boolean handles(SocketFamily family) {
        return family == SocketFamily.VSOCK;
    }

    /**
     * Why AF_VSOCK cannot work here, if that is already known without creating a socket: junixsocket's native
     * library lacks the capability (it probes {@code socket(AF_VSOCK)} when it loads), or it failed to load.
     */
    public static Optional<String> unavailabilityCause() {
        if (!AFSocket.isSupported()) {
            return Optional.of("junixsocket's native library is not available on this platform");
        }
        if (!AFSocket.supports(AFSocketCapability.CAPABILITY_VSOCK)) {
            return Optional.of(kernelLacksVsock("junixsocket reports no AF_VSOCK support"));
        }
        return Optional.empty();
    }

    /** The cause, with what {@code /dev/vsock} says about the kernel. */
    static String kernelLacksVsock(String symptom) {
        return symptom + ": the kernel has no AF_VSOCK support"
                + (Files.exists(DEV_VSOCK) ? " for stream sockets (" + DEV_VSOCK + " exists, but no transport accepted)"
                        : " (" + DEV_VSOCK + " does not exist: the vsock modules are not loaded; in a VM load"
                                + " vmw_vsock_virtio_transport and give the VM a vhost-vsock-pci device)");
    }

    @Override
    public String describeBind(String address) throws IOException {
        VsockAddress a = VsockAddress.parse(address);
        return "AF_VSOCK stream listener " + a + " (" + a.describeCid() + ", port " + a.port() + ")";
    }

    @Override
    public Endpoint bind(String address, BindOptions options) throws IOException {
        VsockAddress a = VsockAddress.parse(address);
        Optional<String> unavailable = unavailabilityCause();
        if (unavailable.isPresent()) {
            throw new IOException("cannot bind AF_VSOCK " + a + ": " + unavailable.get());
        }
        VsockSockets.ServerSocket server;
        try {
            server = VsockSockets.ServerSocket.newInstance();
        } catch (IOException e) {
            throw new IOException("cannot create an AF_VSOCK socket: " + explain(e), e);
        }
        try {
            server.bind(AFVSOCKSocketAddress.ofPortAndCID((int) a.port(), (int) a.cid()), options.backlog());
        } catch (IOException e) {
            close(server);
            throw new IOException("cannot bind AF_VSOCK " + a + ": " + explain(e), e);
        }
        return new VsockListeningEndpoint(server, address, describeBind(address));
    }

    /** Adds the cause when the message is the kernel's "no such family". */
    private static String explain(IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Address family not supported") || msg.contains("EAFNOSUPPORT")) {
            return kernelLacksVsock(msg);
        }
        return msg;
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // The socket never worked; nothing to release beyond the descriptor, which close() released.
        }
    }

    @Override
    public Endpoint adopt(int fd, SocketInfo info, String name) throws ActivationException {
        String description = adoptable(fd, info);
        try {
            FileDescriptor fdObj = FileDescriptorCast.unsafeUsing(fd).as(FileDescriptor.class);
            if (info.listening()) {
                return new VsockListeningEndpoint(VsockSockets.ServerSocket.adopt(fdObj), name, description);
            }
            // A connection handed over by a supervisor (systemd Accept=yes): the plain descriptor carries the
            // stream; junixsocket offers no public way to wrap a connected fd of a family it does not ship.
            return Endpoints.oneShot(name, EndpointKind.VSOCK, description, inherited(fd, fdObj, info));
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR,
                    description + ": cannot be adopted as an AF_VSOCK socket: " + e.getMessage(), e);
        }
    }

    /**
     * A listener as junixsocket's AF_VSOCK {@link java.nio.channels.ServerSocketChannel}. A connection has none:
     * junixsocket offers no public way to wrap a connected fd of a family it does not ship (see {@link #adopt}).
     */
    @Override
    public NetworkChannel adoptChannel(int fd, SocketInfo info) throws ActivationException {
        String description = adoptable(fd, info);
        if (!info.listening()) {
            throw new ActivationException(SysExits.EX_UNAVAILABLE, description + ": the vsock transport has no"
                    + " channel for a connected AF_VSOCK socket (junixsocket cannot wrap one); serve the fd number");
        }
        try {
            VsockSockets.ServerSocket server = VsockSockets.ServerSocket.adopt(
                    FileDescriptorCast.unsafeUsing(fd).as(FileDescriptor.class));
            server.setShutdownOnClose(false);
            return server.getChannel();
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR,
                    description + ": cannot be adopted as an AF_VSOCK channel: " + e.getMessage(), e);
        }
    }

    private static Connection inherited(int fd, FileDescriptor fdObj, SocketInfo info) {
        InputStream in = new FileInputStream(fdObj);
        OutputStream out = new FileOutputStream(fdObj);
        Peer peer = Peer.unknown("AF_VSOCK peer of inherited fd " + fd + " (local " + info.localAddress() + ")");
        return new Connection() {
            @Override public InputStream in() { return in; }
            @Override public OutputStream out() { return out; }
            @Override public Peer peer() { return peer; }
            @Override public void close() {
                try {
                    in.close();
                } catch (IOException e) {
                    System.getLogger(VsockTransport.class.getName()).log(System.Logger.Level.DEBUG,
                            "closing inherited vsock fd " + fd + ": " + e.getMessage());
                }
            }
            @Override public String toString() { return "connection from " + peer; }
        };
    }

    /** The peer of an accepted socket: its CID and port, as the kernel reported them to accept(). */
    static Peer peerOf(VsockSockets.Socket socket) {
        try {
            AFVSOCKSocketAddress remote = AFVSOCKSocketAddress.unwrap(socket.getRemoteSocketAddress());
            long cid = Integer.toUnsignedLong(remote.getVSOCKCID());
            long port = Integer.toUnsignedLong(remote.getVSOCKPort());
            return new Peer(java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                    java.util.OptionalLong.empty(), java.util.OptionalLong.of(cid), "cid " + cid + " port " + port);
        } catch (SocketException | RuntimeException e) {
            return Peer.unknown("AF_VSOCK peer (address unavailable: " + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        return "vsock transport";
    }
}
