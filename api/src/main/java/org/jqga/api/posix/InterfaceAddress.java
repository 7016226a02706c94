package org.jqga.api.posix;

import java.util.Arrays;
import java.util.Optional;

/**
 * One entry of {@code getifaddrs(3)}: an interface name with one address. On Linux the list holds one
 * {@code AF_PACKET} entry per link first, then the IPv4 and IPv6 addresses.
 *
 * @param name    {@code ifa_name}; an IPv4 address with a label carries the label ({@code eth0:1})
 * @param family  the {@code sa_family} of {@code ifa_addr}, or -1 when the entry has no address
 * @param address the raw address bytes (4 for {@code AF_INET}, 16 for {@code AF_INET6}), empty for other families
 * @param netmask the raw netmask bytes, same length as {@code address}, or empty when the entry has none
 */
public record InterfaceAddress(String name, int family, byte[] address, byte[] netmask) {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public InterfaceAddress {
        address = address.clone();
        netmask = netmask.clone();
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public byte[] netmask() {
        return netmask.clone();
    }

    /** The netmask, if the entry has one. */
    public Optional<byte[]> netmaskIfPresent() {
        return netmask.length == 0 ? Optional.empty() : Optional.of(netmask.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceAddress a && a.name.equals(name) && a.family == family
                && Arrays.equals(a.address, address) && Arrays.equals(a.netmask, netmask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + family) + Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return "InterfaceAddress[" + name + ", family " + family + ", " + Arrays.toString(address) + "/"
                + Arrays.toString(netmask) + "]";
    }
}
