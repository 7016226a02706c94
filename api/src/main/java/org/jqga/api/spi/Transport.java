package org.jqga.api.spi;

import java.io.IOException;
import java.nio.channels.NetworkChannel;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Endpoint;
import org.jqga.api.SysExits;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;

/** Turns sockets of one address family into endpoints. */
public interface Transport {
    /** A short name for messages: {@code unix}, {@code vsock}, {@code inet}. */
    String name();

    boolean handles(SocketFamily family);

    /**
     * Wraps an inherited fd whose {@code info} the caller already proved to be a stream socket of a family this
     * transport handles: a listener becomes a {@link org.jqga.api.ListeningEndpoint}, a connection a one-shot
     * {@link org.jqga.api.StreamEndpoint}.
     */
    Endpoint adopt(int fd, SocketInfo info, String name) throws ActivationException;

    /**
     * Wraps an inherited fd, proved as for {@link #adopt}, as a standard channel for a daemon that serves it with its
     * own code ({@link org.jqga.api.InheritedSockets}): a listener as a
     * {@link java.nio.channels.ServerSocketChannel}, a connection as a {@link java.nio.channels.SocketChannel}.
     * The channel owns the fd from then on; a listener is shared with the supervisor, so its channel should not
     * shut the socket down when closed (junixsocket's do: see {@link org.jqga.api.InheritedSocket}).
     *
     * @throws ActivationException when this transport has no channel for such a socket; the fd is left untouched
     */
    default NetworkChannel adoptChannel(int fd, SocketInfo info) throws ActivationException {
        throw new ActivationException(SysExits.EX_UNAVAILABLE, "fd " + fd + ": " + info.describe() + ": the "
                + name() + " transport offers no channel for it");
    }

    /**
     * The start of every message about adopting {@code fd} ({@code fd N: what it is}), once its family is one this
     * transport handles: {@link #adopt} and {@link #adoptChannel} begin with it.
     *
     * @throws ActivationException (EX_SOFTWARE: a provider asked the wrong transport) naming the fd, its family and
     *                             this transport
     */
    default String adoptable(int fd, SocketInfo info) throws ActivationException {
        String description = "fd " + fd + ": " + info.describe();
        if (!handles(info.family())) {
            throw new ActivationException(SysExits.EX_SOFTWARE, description + ": cannot be adopted by the " + name()
                    + " transport, which does not handle " + info.family().cName());
        }
        return description;
    }

    /** Creates and binds a listener at {@code address} (a path for unix, {@code CID:PORT} for vsock). */
    Endpoint bind(String address, BindOptions options) throws IOException;

    /**
     * What {@link #bind} would create at {@code address}, without creating it (for {@code --explain-activation});
     * throws the error {@link #bind} would throw for an address it cannot parse.
     */
    default String describeBind(String address) throws IOException {
        return name() + " listener " + address;
    }
}
