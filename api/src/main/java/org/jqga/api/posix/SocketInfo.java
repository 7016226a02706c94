package org.jqga.api.posix;

/**
 * What the kernel says about a socket fd.
 *
 * @param fd           the descriptor number
 * @param family       {@code SO_DOMAIN}
 * @param familyNumber the raw family number (useful when {@code family} is {@link SocketFamily#OTHER})
 * @param type         {@code SO_TYPE}
 * @param listening    {@code SO_ACCEPTCONN}: {@code listen()} was called
 * @param connected    {@code getpeername()} succeeded
 * @param localAddress the bound address in systemd's notation: a path, {@code @abstract}, {@code 127.0.0.1:22},
 *                     {@code vsock:4294967295:1234}; empty for an unnamed socket
 * @param nonBlocking  {@code O_NONBLOCK} is set on the open file description
 */
public record SocketInfo(int fd, SocketFamily family, int familyNumber, SocketType type, boolean listening,
                         boolean connected, String localAddress, boolean nonBlocking) {

    /** For example {@code AF_UNIX stream listener /run/qga.sock} or {@code AF_INET datagram socket 0.0.0.0:53}. */
    public String describe() {
        String fam = family == SocketFamily.OTHER ? "address family " + familyNumber : family.cName();
        String role = listening ? "listener" : connected ? "connection" : "socket (neither listening nor connected)";
        String addr = localAddress.isEmpty() ? "(unnamed)" : localAddress;
        return fam + " " + type + " " + role + " " + addr;
    }
}
