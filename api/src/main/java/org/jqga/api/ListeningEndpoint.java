package org.jqga.api;

import java.io.IOException;

/** A listening socket: many connections, one after another or at once. */
public non-sealed interface ListeningEndpoint extends Endpoint {
    /** Blocks until a client connects. Throws once {@link #close()} was called. */
    Connection accept() throws IOException;
}
