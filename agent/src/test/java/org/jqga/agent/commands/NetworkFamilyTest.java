package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import org.jqga.api.posix.InterfaceAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-network-get-interfaces and guest-network-get-route against the vm1 fixture tree. */
class NetworkFamilyTest {
    private static final int AF_PACKET = 17;

    @TempDir
    Path empty;

    private final FakePosix posix = new FakePosix();

    private static InterfaceAddress link(String name) {
        return new InterfaceAddress(name, AF_PACKET, new byte[0], new byte[0]);
    }

    private static InterfaceAddress ip(String name, String address, int prefix) throws Exception {
        byte[] a = InetAddress.getByName(address).getAddress();
        byte[] mask = new byte[a.length];
        for (int i = 0; i < prefix; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return new InterfaceAddress(name, a.length == 4 ? InterfaceAddress.AF_INET : InterfaceAddress.AF_INET6, a,
                mask);
    }

    @Test
    void interfacesInGetifaddrsOrderWithAddressesPrefixesAndCounters() throws Exception {
        posix.interfaces.add(link("lo"));
        posix.interfaces.add(link("eth0"));
        posix.interfaces.add(link("wg0"));
        posix.interfaces.add(ip("lo", "127.0.0.1", 8));
        posix.interfaces.add(ip("eth0", "192.0.2.2", 24));
        posix.interfaces.add(ip("eth0:1", "10.1.2.3", 8));
        posix.interfaces.add(ip("lo", "::1", 128));
        posix.interfaces.add(ip("eth0", "fe80::fc:ff:fe00:1", 64));
        assertEquals("{\"return\": [{\"name\": \"lo\", \"ip-addresses\": [{\"ip-address-type\": \"ipv4\", "
                + "\"ip-address\": \"127.0.0.1\", \"prefix\": 8}, {\"ip-address-type\": \"ipv6\", \"ip-address\": "
                + "\"::1\", \"prefix\": 128}], \"statistics\": {\"tx-packets\": 58, \"tx-errs\": 0, \"rx-bytes\": 6386, "
                + "\"rx-dropped\": 0, \"rx-packets\": 58, \"rx-errs\": 0, \"tx-bytes\": 6386, \"tx-dropped\": 0}, "
                + "\"hardware-address\": \"00:00:00:00:00:00\"}, {\"name\": \"eth0\", \"ip-addresses\": "
                + "[{\"ip-address-type\": \"ipv4\", \"ip-address\": \"192.0.2.2\", \"prefix\": 24}, "
                + "{\"ip-address-type\": \"ipv6\", \"ip-address\": \"fe80::fc:ff:fe00:1\", \"prefix\": 64}], "
                + "\"statistics\": {\"tx-packets\": 2533, \"tx-errs\": 3, \"rx-bytes\": 35959082, \"rx-dropped\": 2, "
                + "\"rx-packets\": 2835, \"rx-errs\": 1, \"tx-bytes\": 341898, \"tx-dropped\": 4}, "
                + "\"hardware-address\": \"02:fc:00:00:00:01\"}, {\"name\": \"wg0\", \"hardware-address\": "
                + "\"00:00:00:00:00:00\"}, {\"name\": \"eth0:1\", \"ip-addresses\": [{\"ip-address-type\": \"ipv4\", "
                + "\"ip-address\": \"10.1.2.3\", \"prefix\": 8}], \"hardware-address\": \"02:fc:00:00:00:01\"}]}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-network-get-interfaces"));
    }

    @Test
    void withoutSysfsOrProcNetDevTheOptionalMembersAreLeftOut() throws Exception {
        posix.interfaces.add(ip("lo", "127.0.0.1", 8));
        assertEquals("{\"return\": [{\"name\": \"lo\", \"ip-addresses\": [{\"ip-address-type\": \"ipv4\", "
                + "\"ip-address\": \"127.0.0.1\", \"prefix\": 8}]}]}",
                new FixtureAgent(empty, posix).wire("guest-network-get-interfaces"));
    }

    @Test
    void routesFromBothTables() throws Exception {
        assertEquals("{\"return\": [{\"flags\": 3, \"metric\": 100, \"refcnt\": 0, \"window\": 0, \"version\": 4, "
                + "\"iface\": \"eth0\", \"destination\": \"0.0.0.0\", \"irtt\": 0, \"gateway\": \"192.0.2.1\", "
                + "\"use\": 0, \"mtu\": 0, \"mask\": \"0.0.0.0\"}, {\"flags\": 1, \"metric\": 0, \"refcnt\": 0, "
                + "\"window\": 0, \"version\": 4, \"iface\": \"eth0\", \"destination\": \"192.0.2.0\", \"irtt\": 0, "
                + "\"gateway\": \"0.0.0.0\", \"use\": 0, \"mtu\": 1500, \"mask\": \"255.255.255.0\"}, {\"flags\": 1, "
                + "\"source\": \"::\", \"metric\": 256, \"refcnt\": 1, \"version\": 6, \"nexthop\": \"::\", "
                + "\"iface\": \"eth0\", \"destination\": \"fd00::\", \"desprefixlen\": \"64\", \"srcprefixlen\": "
                + "\"0\", \"use\": 0}, {\"flags\": 3, \"source\": \"::\", \"metric\": 1024, \"refcnt\": 2, "
                + "\"version\": 6, \"nexthop\": \"fd00::1\", \"iface\": \"eth0\", \"destination\": \"::\", "
                + "\"desprefixlen\": \"0\", \"srcprefixlen\": \"0\", \"use\": 0}, {\"flags\": 2097153, \"source\": "
                + "\"::\", \"metric\": -1, \"refcnt\": 1, \"version\": 6, \"nexthop\": \"::\", \"iface\": \"lo\", "
                + "\"destination\": \"::1\", \"desprefixlen\": \"128\", \"srcprefixlen\": \"0\", \"use\": 0}, "
                // flags 80200001: qemu-ga's C int, sign-extended into the uint64 member
                + "{\"flags\": 18446744071564165121, \"source\": \"::\", \"metric\": 0, \"refcnt\": 2, "
                + "\"version\": 6, \"nexthop\": \"::\", \"iface\": \"eth0\", \"destination\": \"fd00::2\", "
                + "\"desprefixlen\": \"128\", \"srcprefixlen\": \"0\", \"use\": 0}]}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-network-get-route"));
        assertEquals("open(\"/proc/net/route\"): No such file or directory",
                new FixtureAgent(empty, posix).error("guest-network-get-route"));
    }
}
