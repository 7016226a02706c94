package org.jqga.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;

/**
 * One socket a supervisor passed, as {@link InheritedSockets} hands it out: proved by the kernel to be a listening
 * or connected stream socket, with its name, and as a standard channel a server framework accepts:
 * <ul>
 * <li>AF_UNIX: junixsocket's {@code AFUNIXServerSocketChannel} / {@code AFUNIXSocketChannel};</li>
 * <li>AF_VSOCK (with jqga-transport-vsock on the class path): junixsocket's AF_VSOCK
 * {@link ServerSocketChannel}; a connected AF_VSOCK socket has no channel, only {@link #fd()};</li>
 * <li>AF_INET/AF_INET6: on fd 0 the JDK's own channel from {@link System#inheritedChannel()} (closing it points
 * fds 0, 1 and 2 at /dev/null, the JDK's doing), on other fds junixsocket's generic channels, whose addresses are
 * raw {@code sockaddr} bytes.</li>
 * </ul>
 * A listener is shared with the supervisor, which keeps its own copy to start the daemon again. Do not close a
 * listener's channel yourself while the supervisor should go on listening: junixsocket's {@code close()} shuts the
 * socket down, and a shut-down listener refuses every client, also those of the daemon's next start. Stop accepting
 * and let {@link InheritedSockets#close()} release it, or simply exit.
 */
public final class InheritedSocket {
    private final String name;
    private final SocketInfo info;
    /** {@code null} when the transport has none; then {@link #noChannel} says why. */
    private final NetworkChannel channel;
    private final ActivationException noChannel;
    private final Posix posix;

    InheritedSocket(String name, SocketInfo info, NetworkChannel channel, ActivationException noChannel,
                    Posix posix) {
        this.name = name;
        this.info = info;
        this.channel = channel;
        this.noChannel = noChannel;
        this.posix = posix;
    }

    /**
     * {@return the supervisor's name for it} That is the {@code LISTEN_FDNAMES} entry (systemd's
     * {@code FileDescriptorName=}, {@code systemd-socket-activate --fdname}); when none was given, the socket's local
     * address, or {@code fd N} for an unnamed socket.
     */
    public String name() {
        return name;
    }

    /** {@return the descriptor number the supervisor passed, for frameworks that take one (Netty's epoll channels)} */
    public int fd() {
        return info.fd();
    }

    /** {@return the address family ({@code SO_DOMAIN}): {@code UNIX}, {@code INET}, {@code INET6} or {@code VSOCK}} */
    public SocketFamily family() {
        return info.family();
    }

    /**
     * {@return whether clients are accepted on it ({@code SO_ACCEPTCONN})} Otherwise it is one connection the
     * supervisor accepted for the daemon (systemd {@code Accept=yes}, inetd {@code nowait}, a UCSPI server).
     */
    public boolean listening() {
        return info.listening();
    }

    /**
     * {@return the bound address in systemd's notation} A path, {@code @abstract}, {@code 127.0.0.1:80},
     * {@code vsock:CID:PORT}; empty when unnamed.
     */
    public String localAddress() {
        return info.localAddress();
    }

    /**
     * {@return the listener as a channel} It is in blocking mode; {@code configureBlocking(false)} for a selector.
     *
     * @throws IllegalStateException when the socket is a connection (see {@link #connection()})
     * @throws UnsupportedOperationException when no channel exists for it; the message says why
     */
    public ServerSocketChannel listener() {
        if (!listening()) {
            throw new IllegalStateException(describe() + " is a connection, not a listener: use connection()");
        }
        return (ServerSocketChannel) channel();
    }

    /**
     * {@return the connection as a channel}
     *
     * @throws IllegalStateException when the socket is a listener (see {@link #listener()})
     * @throws UnsupportedOperationException when no channel exists for it; the message says why
     */
    public SocketChannel connection() {
        if (listening()) {
            throw new IllegalStateException(describe() + " is a listener, not a connection: use listener()");
        }
        return (SocketChannel) channel();
    }

    private NetworkChannel channel() {
        if (channel == null) {
            throw new UnsupportedOperationException(noChannel.getMessage(), noChannel);
        }
        return channel;
    }

    /** {@return one line for logs, e.g. {@code fd 3 "echo": AF_UNIX stream listener /run/echo.sock}} */
    public String describe() {
        return "fd " + info.fd() + " \"" + name + "\": " + info.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Releases the socket. A connection's channel is closed, then its descriptor number (junixsocket 2.11.1 leaves
     * a descriptor it was handed by number open when its socket is closed; the JDK's channel on fd 0 closes only its
     * own copy). A listener's channel is not closed: junixsocket's close shuts the socket down, which would make the
     * supervisor's copy refuse every later client; instead the number is pointed at /dev/null, which drops this
     * process's reference to the socket and keeps the number taken, so that nothing the channel might still do to
     * its number reaches another file. Never throws.
     */
    void close() {
        if (!listening() && channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log("closing the channel of " + describe() + ": " + e.getMessage());
            }
        }
        try {
            if (listening() || info.fd() <= 2) {
                posix.redirectToDevNull(info.fd());
            } else {
                posix.close(info.fd());
            }
        } catch (IOException e) {
            // close() releases the descriptor even when it reports an error (Linux); say so and go on.
            log("releasing " + describe() + ": " + e.getMessage());
        }
    }

    private static void log(String message) {
        System.getLogger(InheritedSocket.class.getName()).log(System.Logger.Level.WARNING, message);
    }

    /**
     * What the providers receive from the transport: a handle whose close releases this socket. It serves nothing
     * itself; the daemon serves {@link #listener()} or {@link #connection()}.
     */
    Endpoint endpoint() {
        EndpointKind kind = family() == SocketFamily.UNIX ? EndpointKind.UNIX
                : family() == SocketFamily.VSOCK ? EndpointKind.VSOCK : EndpointKind.INET;
        String taken = describe() + " was taken by InheritedSockets: serve "
                + (listening() ? "listener()" : "connection()") + " of its InheritedSocket";
        if (listening()) {
            return new ListeningEndpoint() {
                @Override public Connection accept() throws IOException { throw new IOException(taken); }
                @Override public String name() { return name; }
                @Override public EndpointKind kind() { return kind; }
                @Override public String describe() { return InheritedSocket.this.describe(); }
                @Override public void close() { InheritedSocket.this.close(); }
                @Override public String toString() { return describe(); }
            };
        }
        Connection handle = new Connection() {
            @Override public InputStream in() { throw new UnsupportedOperationException(taken); }
            @Override public OutputStream out() { throw new UnsupportedOperationException(taken); }
            @Override public Peer peer() { return Peer.unknown("peer of " + InheritedSocket.this.describe()); }
            @Override public void close() { InheritedSocket.this.close(); }
        };
        return Endpoints.oneShot(name, kind, describe(), handle);
    }
}
