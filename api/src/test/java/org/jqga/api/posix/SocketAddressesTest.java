package org.jqga.api.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Raw sockaddr bytes as the kernel fills them, rendered as systemd writes ListenStream=. */
class SocketAddressesTest {
    private static byte[] inet6(byte[] address, int port) {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        b.putShort((short) SocketFamily.INET6.number());
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0).put(address).putInt(0);
        return b.array();
    }

    @Test
    void ipv6LoopbackIsWrittenAsInetNtopDoes() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        assertEquals("[::1]:23987", SocketAddresses.describe(inet6(loopback, 23987)));
    }

    @Test
    void anIpv4MappedPeerKeepsItsMappedForm() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        assertEquals("[::ffff:127.0.0.1]:65535", SocketAddresses.describe(inet6(mapped, 65535)));
    }

    @Test
    void ipv4IsADottedQuadAndAPort() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putShort((short) SocketFamily.INET.number());
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) 54321).put(new byte[] {127, 0, 0, 1});
        assertEquals("127.0.0.1:54321", SocketAddresses.describe(b.array()));
    }
}
