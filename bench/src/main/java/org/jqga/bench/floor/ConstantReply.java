package org.jqga.bench.floor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The JVM floor: the least a Java program can do to answer a socket-activated request. Started by
 * {@code systemd-socket-activate --inetd}, it finds the socket on stdin through {@link System#inheritedChannel()},
 * reads one request, answers guest-ping's reply without parsing anything, and exits at end of stream. JDK classes
 * only, so its start-up is the JVM's own; jqga's socket-activated first reply is read against it.
 */
public final class ConstantReply {
    private static final byte[] REPLY = "{\"return\": {}}\n".getBytes(StandardCharsets.US_ASCII);

    private ConstantReply() {
    }

    public static void main(String[] args) throws IOException {
        Channel inherited = System.inheritedChannel();
        SocketChannel client;
        if (inherited instanceof SocketChannel connected) {
            client = connected; // a connection accepted by the supervisor (--inetd --accept)
        } else if (inherited instanceof ServerSocketChannel listener) {
            client = listener.accept(); // the listening socket itself (--inetd without --accept)
        } else {
            System.err.println("ConstantReply: stdin is not a socket (System.inheritedChannel() = " + inherited
                    + "); start me with systemd-socket-activate --inetd");
            System.exit(64); // EX_USAGE
            return;
        }
        ByteBuffer in = ByteBuffer.allocate(4096);
        if (client.read(in) < 0) {
            return;
        }
        client.write(ByteBuffer.wrap(REPLY));
        while (client.read(in.clear()) >= 0) {
            // Stay until the client closes, as an agent would.
        }
    }
}
