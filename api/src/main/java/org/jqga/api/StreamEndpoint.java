package org.jqga.api;

import java.io.IOException;
import java.util.Optional;

/**
 * A single byte stream: a character device, stdin/stdout, or the one connection of a systemd {@code Accept=yes}
 * instance.
 */
public non-sealed interface StreamEndpoint extends Endpoint {
    /**
     * The next session on this stream. A device that can be reopened (virtio-serial) blocks until the host side
     * is there again; a one-shot stream (stdio, an accepted connection) returns it once and then empty, which
     * tells the server that this endpoint is finished.
     */
    Optional<Connection> open() throws IOException;
}
