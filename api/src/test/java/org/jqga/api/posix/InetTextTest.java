package org.jqga.api.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** glibc's inet_ntop text. */
class InetTextTest {
    private static String ntop(String address) throws Exception {
        byte[] a = InetAddress.getByName(address).getAddress();
        if (a.length == 4 && address.contains(":")) {
            // Java turns ::ffff:a.b.c.d into an Inet4Address: rebuild the 16 bytes.
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xFF;
            v6[11] = (byte) 0xFF;
            System.arraycopy(a, 0, v6, 12, 4);
            a = v6;
        }
        return InetText.ntop(a);
    }

    @Test
    void compressesTheLongestZeroRunOfAtLeastTwoGroups() throws Exception {
        assertEquals("::", ntop("::"));
        assertEquals("::1", ntop("::1"));
        assertEquals("fe80::fc:ff:fe00:1", ntop("fe80:0:0:0:fc:ff:fe00:1"));
        assertEquals("1:0:1:1:1:1:1:1", ntop("1:0:1:1:1:1:1:1"));
        assertEquals("1:0:0:1::1", ntop("1:0:0:1:0:0:0:1"));
        assertEquals("1::1:0:0:1", ntop("1:0:0:0:1:0:0:1"));
        assertEquals("fd00::", ntop("fd00::"));
    }

    @Test
    void embedsIpv4InMappedAndCompatibleAddresses() throws Exception {
        assertEquals("::ffff:192.0.2.1", ntop("::ffff:192.0.2.1"));
        assertEquals("::192.0.2.1", ntop("::c000:201"));
        assertEquals("192.0.2.1", ntop("192.0.2.1"));
    }
}
