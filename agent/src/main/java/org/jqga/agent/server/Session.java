package org.jqga.agent.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.dispatch.IncompleteReplyException;
import org.jqga.agent.dispatch.Reply;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.api.Connection;
import org.jqga.api.RejectionLog;

/**
 * One client's conversation: bytes in, frames out of the framer, responses back. Each session has its own
 * framer, so a half-sent request from a client that vanished can never be completed by the next client's bytes
 * (qemu-ga shares one parser across clients; we do not, see the README).
 *
 * <p>For a graceful stop the server asks an idle session (waiting for the client, nothing unread in the socket for
 * a while, at most half a request read) to {@link #stopReading()}: what the client sent before that is still read
 * and answered, a half-read request is dropped, then the session ends as if the client had closed.
 */
final class Session {
    private static final Logger LOG = Logger.getLogger(Session.class.getName());

    private final Connection connection;
    private final Dispatcher dispatcher;
    private final FramerLimits limits;
    private final MessageBudget budget;
    private final RejectionLog rejections;
    private final long acceptedNanos = System.nanoTime();
    /**
     * Waiting in read for the client (or about to), not handling what it sent: reading may stop now without
     * abandoning a request that was dispatched. A request half-read is not one: nothing of it has run.
     */
    private volatile boolean waitingForClient = true;
    private volatile boolean everRead;
    private volatile long lastActivityNanos = acceptedNanos;
    private volatile boolean stopRequested;

    Session(Connection connection, Dispatcher dispatcher, FramerLimits limits, MessageBudget budget,
            RejectionLog rejections) {
        this.budget = budget;
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.rejections = rejections;
    }

    Connection connection() {
        return connection;
    }

    /** Serves until the client closes or the connection fails, with buffers of its own; never throws. */
    void run() {
        run(new SessionBuffers());
    }

    /**
     * Serves until the client closes or the connection fails, in {@code buffers}, which no other session may use
     * meanwhile; never throws.
     */
    void run(SessionBuffers buffers) {
        Framer framer = new Framer(limits, budget);
        byte[] buf = buffers.read;
        String peer = connection.peer().description();
        LOG.fine(() -> "session opened: " + peer);
        OutputStream out = null;
        try {
            InputStream in = connection.in();
            OutputStream buffered = buffers.output(connection.out());
            out = buffered;
            int n;
            while ((n = in.read(buf)) > 0) {
                waitingForClient = false;
                everRead = true;
                framer.feed(buf, 0, n, frame -> dispatcher.reply(frame, why -> rejections.rejected(peer, why))
                        .ifPresent(reply -> write(buffered, reply)));
                // Responses to everything that arrived in one read go out together: pipelined clients get them
                // in one write, interactive clients at once.
                out.flush();
                lastActivityNanos = System.nanoTime();
                waitingForClient = true;
            }
            waitingForClient = false;
            if (framer.midMessage() && stopRequested) {
                LOG.info(() -> "the agent is stopping: the partial request of client " + peer + " (silent since"
                        + " it sent part of it) was discarded");
            } else if (framer.midMessage()) {
                LOG.info(() -> "client " + peer + " closed the connection in the middle of a request;"
                        + " the partial request was discarded");
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof IncompleteReplyException incomplete) {
                // Part of the reply is on the wire and the rest cannot be made right: the client gets what was
                // answered before it, then the connection ends instead of a reply with the wrong bytes.
                flushQuietly(out);
                LOG.warning(() -> incomplete.getMessage() + "; closing the connection to client " + peer
                        + " rather than send it a wrong reply");
            } else {
                LOG.info(() -> "cannot send to client " + peer + " (it went away?): " + e.getCause().getMessage());
            }
        } catch (IOException e) {
            if (!stopRequested) {
                LOG.info(() -> "connection to client " + peer + " failed: " + e.getMessage());
            }
        } catch (OutOfMemoryError e) {
            // The message budget should make this unreachable; if the heap still runs out, this client loses its
            // session (and what it held is freed), the agent and the other sessions go on.
            LOG.log(Level.SEVERE, "session with " + peer + " ended: the agent ran out of heap (" + e.getMessage()
                    + "); raise -Xmx (JQGA_JAVA_OPTS) or lower --max-message-size/--max-sessions");
            tellClient(out, "the agent ran out of memory handling this client's request; closing the connection");
        } catch (RuntimeException | Error e) {
            // A bug (a StackOverflowError included): the framer's state can no longer be trusted, so the session
            // ends, but never silently: the log gets the stack trace and the client one line saying why.
            LOG.log(Level.SEVERE, "session with " + peer + " ended by an internal error", e);
            tellClient(out, "internal error: " + e + "; closing the connection");
        } finally {
            framer.reset();
            connection.close();
            LOG.fine(() -> "session closed: " + peer);
        }
    }

    /**
     * Whether reading may stop without abandoning a request that runs: the session waits for the client (nothing
     * dispatched is being handled), nothing has arrived for {@code quietNanos} ({@code firstRequestNanos} while the
     * client has sent nothing yet: a client that just connected is about to send its request) and nothing is waiting
     * unread. A session holding half a request is idle too once its client has been quiet that long: the request
     * never ran, and a client that stopped in the middle must not hold up a stop for the whole grace period
     * (qemu-ga exits at once); a request still arriving keeps its session busy.
     */
    boolean idle(long quietNanos, long firstRequestNanos) {
        if (!waitingForClient) {
            return false;
        }
        long quiet = everRead ? quietNanos : firstRequestNanos;
        if (System.nanoTime() - lastActivityNanos < quiet) {
            return false;
        }
        try {
            return connection.in().available() == 0;
        } catch (IOException e) {
            return true; // the connection is broken: nothing more can be read from it anyway
        }
    }

    /** Ends the session gracefully: what already arrived is still read and answered. */
    void stopReading() {
        if (!stopRequested) {
            stopRequested = true;
            connection.stopReading();
        }
    }

    /** Writes {@code reply} into {@code out}: a large file read is read and encoded on the way. */
    private static void write(OutputStream out, Reply reply) {
        try {
            reply.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Best effort: one error line to a client whose session ends by a failure of the agent's own. */
    private static void tellClient(OutputStream out, String desc) {
        if (out == null) {
            return;
        }
        try {
            out.write(Dispatcher.errorLine(desc));
            out.flush();
        } catch (IOException | RuntimeException | Error e) {
            // already logged why the session ends; the client may be gone or the heap still full
        }
    }

    private static void flushQuietly(OutputStream out) {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            // the connection is being closed anyway
        }
    }
}
