package org.jqga.api;

import java.io.IOException;

/** A listening socket: many connections, one after another or at once. */
public non-sealed interface ListeningEndpoint extends Endpoint {
    /** Blocks until a client connects. Throws once {@link #close()} was called. */
    Connection accept() throws IOException;

    /**
     * Whether several threads may wait in {@link #accept()} at once: the kernel gives each client to one of them,
     * and {@link #close()} ends every wait at once. False unless the listener is ours alone: a listener shared with
     * a supervisor is only polled, and an accept still waiting on it could take a client meant for the supervisor's
     * next instance.
     */
    default boolean acceptsConcurrently() {
        return false;
    }
}
