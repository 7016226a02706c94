package org.jqga.api;

/** A place clients reach the daemon: a listener to accept on, or a single byte stream. */
public sealed interface Endpoint permits ListeningEndpoint, StreamEndpoint {
    /** The LISTEN_FDNAMES entry, the socket path, {@code stdin} ... */
    String name();

    EndpointKind kind();

    /** One line for logs and {@code --explain-activation}, e.g. {@code fd 3: AF_UNIX stream listener /run/qga.sock}. */
    String describe();

    /** Stops the endpoint; a blocked {@code accept}/{@code open} returns with an exception. Never throws. */
    void close();
}
