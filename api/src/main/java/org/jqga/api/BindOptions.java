package org.jqga.api;

/**
 * How a transport binds an endpoint the daemon creates itself.
 *
 * @param socketMode permission bits of a socket file (AF_UNIX only)
 * @param backlog    listen backlog
 */
public record BindOptions(int socketMode, int backlog) {
    public static BindOptions defaults() {
        return new BindOptions(ActivationOptions.DEFAULT_SOCKET_MODE, 16);
    }
}
