package org.jqga.agent.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.api.Connection;

/**
 * One client's conversation: bytes in, frames out of the framer, responses back. Each session has its own
 * framer, so a half-sent request from a client that vanished can never be completed by the next client's bytes
 * (qemu-ga shares one parser across clients; we do not, see the README).
 */
final class Session {
    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    private static final int READ_SIZE = 64 * 1024;

    private final Connection connection;
    private final Dispatcher dispatcher;
    private final FramerLimits limits;

    Session(Connection connection, Dispatcher dispatcher, FramerLimits limits) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    /** Serves until the client closes or the connection fails; never throws. */
    void run() {
        Framer framer = new Framer(limits);
        byte[] buf = new byte[READ_SIZE];
        String peer = connection.peer().description();
        LOG.fine(() -> "session opened: " + peer);
        try {
            InputStream in = connection.in();
            OutputStream out = new BufferedOutputStream(connection.out(), READ_SIZE);
            int n;
            while ((n = in.read(buf)) > 0) {
                framer.feed(buf, 0, n, frame -> dispatcher.handle(frame).ifPresent(bytes -> write(out, bytes)));
                // Responses to everything that arrived in one read go out together: pipelined clients get them
                // in one write, interactive clients at once.
                out.flush();
            }
            if (framer.midMessage()) {
                LOG.info(() -> "client " + peer + " closed the connection in the middle of a request;"
                        + " the partial request was discarded");
            }
        } catch (UncheckedIOException e) {
            LOG.info(() -> "cannot send to client " + peer + " (it went away?): " + e.getCause().getMessage());
        } catch (IOException e) {
            LOG.info(() -> "connection to client " + peer + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "session with " + peer + " ended by an internal error", e);
        } finally {
            connection.close();
            LOG.fine(() -> "session closed: " + peer);
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
