package org.jqga.api.posix;

/** The address families a transport may handle, with their Linux numbers. */
public enum SocketFamily {
    UNIX(1, "AF_UNIX"), INET(2, "AF_INET"), INET6(10, "AF_INET6"), NETLINK(16, "AF_NETLINK"),
    VSOCK(40, "AF_VSOCK"), OTHER(-1, "AF_?");

    private final int number;
    private final String cName;

    SocketFamily(int number, String cName) {
        this.number = number;
        this.cName = cName;
    }

    public int number() {
        return number;
    }

    /** The C constant's name, e.g. {@code AF_VSOCK}. */
    public String cName() {
        return cName;
    }

    public static SocketFamily of(int number) {
        for (SocketFamily f : values()) {
            if (f.number == number) {
                return f;
            }
        }
        return OTHER;
    }
}
