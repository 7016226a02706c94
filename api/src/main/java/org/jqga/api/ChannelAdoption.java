package org.jqga.api;

import java.io.IOException;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.List;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.Transport;

/**
 * The transports {@link InheritedSockets} hands the providers: the providers prove each fd as they do for jqga and
 * pass it to {@link Transport#adopt}, which here takes it as the installed transport's standard channel
 * ({@link Transport#adoptChannel}) and records it, so that every fd is taken once and by one owner.
 */
final class ChannelAdoption {
    private final Posix posix;
    private final List<InheritedSocket> adopted = new ArrayList<>();

    ChannelAdoption(Posix posix) {
        this.posix = posix;
    }

    /** {@code installed}, each transport adopting as a channel instead of as an endpoint, and binding nothing. */
    Transports wrap(Transports installed) {
        List<Transport> wrapped = new ArrayList<>();
        for (Transport t : installed.all()) {
            wrapped.add(new AdoptingAsChannel(t));
        }
        return new Transports(wrapped);
    }

    /** The sockets adopted so far, in the order the providers adopted them. */
    List<InheritedSocket> adopted() {
        return List.copyOf(adopted);
    }

    private final class AdoptingAsChannel implements Transport {
        private final Transport installed;

        AdoptingAsChannel(Transport installed) {
            this.installed = installed;
        }

        @Override
        public String name() {
            return installed.name();
        }

        @Override
        public boolean handles(SocketFamily family) {
            return installed.handles(family);
        }

        @Override
        public Endpoint adopt(int fd, SocketInfo info, String name) throws ActivationException {
            NetworkChannel channel = null;
            ActivationException noChannel = null;
            try {
                channel = installed.adoptChannel(fd, info);
            } catch (ActivationException e) {
                // "This transport has no channel for such a socket" still hands out the fd number; anything else
                // (the fd could not be wrapped) fails the activation.
                if (e.exitCode() != SysExits.EX_UNAVAILABLE) {
                    throw e;
                }
                noChannel = e;
            }
            InheritedSocket socket = new InheritedSocket(name, info, channel, noChannel, posix);
            adopted.add(socket);
            return socket.endpoint();
        }

        @Override
        public Endpoint bind(String address, BindOptions options) throws IOException {
            throw new IOException("cannot bind " + address + ": InheritedSockets only takes what a supervisor"
                    + " passed; a daemon started without sockets binds its own");
        }

        @Override
        public String describeBind(String address) throws IOException {
            return installed.describeBind(address);
        }

        @Override
        public String toString() {
            return installed + ", adopting as channels";
        }
    }
}
