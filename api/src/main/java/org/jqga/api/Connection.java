package org.jqga.api;

import java.io.InputStream;
import java.io.OutputStream;

/** One client session's byte stream. */
public interface Connection extends AutoCloseable {
    InputStream in();

    OutputStream out();

    Peer peer();

    /**
     * Ends the conversation without losing what the client already sent: what has arrived can still be read,
     * then {@link #in()} reports end of stream (a socket's {@code shutdown(SHUT_RD)}). Used by a graceful stop
     * on a client that is between requests. Connections that cannot do this are closed, which leaves unread
     * bytes where they are (in a character device, for the next reader). Never throws.
     */
    default void stopReading() {
        close();
    }

    /** Closes both directions. Never throws. */
    @Override
    void close();
}
