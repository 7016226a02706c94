package org.jqga.api.posix;

/** {@code SO_TYPE} values. */
public enum SocketType {
    STREAM(1, "stream"), DGRAM(2, "datagram"), RAW(3, "raw"), SEQPACKET(5, "seqpacket"), OTHER(-1, "unknown-type");

    private final int number;
    private final String description;

    SocketType(int number, String description) {
        this.number = number;
        this.description = description;
    }

    public int number() {
        return number;
    }

    public static SocketType of(int number) {
        for (SocketType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        return OTHER;
    }

    @Override
    public String toString() {
        return description;
    }
}
