package org.jqga.transport.inet;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.Peer;
import org.jqga.api.SysExits;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.Transport;
import org.jqga.transport.socket.FdListeningEndpoint;
import org.jqga.transport.socket.FdSocketConnection;
import org.jqga.transport.socket.LazyPosix;
import org.newsclub.net.unix.AFServerSocket;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * AF_INET and AF_INET6 stream sockets that a supervisor passed: a listener ({@code ListenStream=127.0.0.1:4444},
 * {@code [::1]:4444}, inetd {@code wait}) or one connection ({@code Accept=yes}, inetd {@code nowait}). The peer is
 * its address and port, with no uid, gid or pid: {@code --allow-peer-uid} and {@code --allow-peer-cid} do not
 * govern inet endpoints (see {@link org.jqga.api.PeerAccess}).
 *
 * <p>Binding is not offered: qemu-ga has no TCP method, so no {@code --method} would ask for it.
 */
public final class InetTransport implements Transport {
    private final LazyPosix posix;

    /** The ServiceLoader's constructor: libc is bound on the first adopt, so a unix-only start never pays for it. */
    public InetTransport() {
        this.posix = new LazyPosix();
    }

    InetTransport(Posix posix) {
        this.posix = new LazyPosix(posix);
    }

    private Posix posix() {
        return posix.get();
    }

    @Override
    public String name() {
        return "inet";
    }

    @Override
    public boolean handles(SocketFamily family) {
        return family == SocketFamily.INET || family == SocketFamily.INET6;
    }

    @Override
    public Endpoint adopt(int fd, SocketInfo info, String name) throws ActivationException {
        String description = adoptable(fd, info);
        if (info.listening()) {
            return new FdListeningEndpoint(posix(), fd, name, EndpointKind.INET, description,
                    FdListeningEndpoint.Ownership.INHERITED, (posix, a) -> new FdSocketConnection(posix, a.fd(),
                            peer(a.peerAddress(), "fd " + a.fd()), "TCP connection"), () -> { });
        }
        // A connection the supervisor accepted for us (systemd Accept=yes, inetd nowait): served once.
        String peerAddress;
        try {
            peerAddress = posix().peerAddress(fd);
        } catch (PosixException e) {
            peerAddress = ""; // the client is gone already; the session will see end of stream
            System.getLogger(InetTransport.class.getName()).log(System.Logger.Level.DEBUG,
                    description + ": " + e.getMessage());
        }
        return Endpoints.oneShot(name, EndpointKind.INET, description,
                new FdSocketConnection(posix(), fd, peer(peerAddress, "fd " + fd), "TCP connection"));
    }

    /**
     * On fd 0, the JDK's own channel ({@link System#inheritedChannel()}, with {@link java.net.InetSocketAddress}
     * addresses); the JDK adopts no other descriptor number, so on fd 3 and above junixsocket's generic channels
     * (their addresses are raw {@code sockaddr} bytes).
     */
    @Override
    public NetworkChannel adoptChannel(int fd, SocketInfo info) throws ActivationException {
        String description = adoptable(fd, info);
        try {
            if (fd == 0) {
                Channel inherited = System.inheritedChannel();
                Class<?> expected = info.listening() ? ServerSocketChannel.class : SocketChannel.class;
                if (!expected.isInstance(inherited)) {
                    throw new ActivationException(SysExits.EX_SOFTWARE, description + ": System.inheritedChannel()"
                            + " returned " + inherited + ", expected a " + expected.getSimpleName());
                }
                return (NetworkChannel) inherited;
            }
            FileDescriptorCast cast = FileDescriptorCast.unsafeUsing(fd);
            if (info.listening()) {
                AFServerSocket<?> server = cast.as(AFServerSocket.class);
                server.setShutdownOnClose(false);
                return server.getChannel();
            }
            return cast.as(AFSocket.class).getChannel();
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR,
                    description + ": cannot be adopted as a channel: " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:54321} / {@code [::1]:54321}: who the kernel says the peer is, and nothing more. */
    static Peer peer(String address, String fd) {
        return Peer.unknown(address.isEmpty() ? "TCP peer of " + fd + " (address unavailable)" : address);
    }

    @Override
    public Endpoint bind(String address, BindOptions options) throws IOException {
        throw notOffered(address);
    }

    @Override
    public String describeBind(String address) throws IOException {
        throw notOffered(address);
    }

    private static IOException notOffered(String address) {
        return new IOException("cannot bind " + address + ": binding TCP is not offered: qemu-ga has no TCP method;"
                + " use socket activation (systemd ListenStream=127.0.0.1:PORT, inetd)");
    }

    @Override
    public String toString() {
        return "inet transport";
    }
}
