package org.jqga.api.posix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Renders a raw {@code struct sockaddr} in systemd's {@code ListenStream=} notation. */
public final class SocketAddresses {
    private SocketAddresses() {
    }

    /** {@code /path}, {@code @abstract}, {@code 1.2.3.4:5}, {@code [::1]:5}, {@code vsock:CID:PORT}, or empty. */
    public static String describe(byte[] sockaddr) {
        if (sockaddr.length < 2) {
            return "";
        }
        ByteBuffer b = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder());
        int family = b.getShort(0) & 0xFFFF;
        switch (SocketFamily.of(family)) {
            case UNIX:
                return unixPath(sockaddr);
            case INET:
                if (sockaddr.length < 8) {
                    return "";
                }
                return InetText.ntop(Arrays.copyOfRange(sockaddr, 4, 8)) + ":" + bigEndianPort(sockaddr);
            case INET6:
                if (sockaddr.length < 24) {
                    return "";
                }
                // inet_ntop's text ([::1], not Java's [0:0:0:0:0:0:0:1]), as systemd writes ListenStream=.
                return "[" + InetText.ntop(Arrays.copyOfRange(sockaddr, 8, 24)) + "]:" + bigEndianPort(sockaddr);
            case VSOCK:
                if (sockaddr.length < 12) {
                    return "";
                }
                return "vsock:" + Integer.toUnsignedString(b.getInt(8)) + ":" + Integer.toUnsignedString(b.getInt(4));
            default:
                return "";
        }
    }

    private static String unixPath(byte[] sockaddr) {
        if (sockaddr.length <= 2) {
            return "";
        }
        if (sockaddr[2] == 0) {
            // Abstract: the length, not a NUL, ends the name.
            return "@" + new String(sockaddr, 3, sockaddr.length - 3, StandardCharsets.UTF_8);
        }
        int end = 2;
        while (end < sockaddr.length && sockaddr[end] != 0) {
            end++;
        }
        return new String(sockaddr, 2, end - 2, StandardCharsets.UTF_8);
    }

    private static int bigEndianPort(byte[] sockaddr) {
        return ((sockaddr[2] & 0xFF) << 8) | (sockaddr[3] & 0xFF);
    }
}
