package org.jqga.api.posix;

/**
 * A connection {@code accept4} returned.
 *
 * @param fd          the new descriptor, close-on-exec; the caller owns it
 * @param peerAddress the peer's address in systemd's notation ({@code 127.0.0.1:54321}, {@code [::1]:54321}),
 *                    empty when the kernel reported none (an unbound AF_UNIX client)
 */
public record AcceptedSocket(int fd, String peerAddress) {
}
