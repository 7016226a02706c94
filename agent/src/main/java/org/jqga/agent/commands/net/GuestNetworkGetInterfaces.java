package org.jqga.agent.commands.net;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import com.google.inject.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.api.posix.InetText;
import org.jqga.api.posix.InterfaceAddress;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * One entry per interface name in {@code getifaddrs} order: the hardware address (what {@code SIOCGIFHWADDR}
 * reports: the first six bytes of the link address, zeros for links without one, read from
 * {@code /sys/class/net/NAME/address}), every IPv4/IPv6 address with its prefix length, and, for interfaces that
 * have an address, the counters of {@code /proc/net/dev}.
 */
final class GuestNetworkGetInterfaces implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-network-get-interfaces", NoArguments.class);
    static final String NET_DEV = "/proc/net/dev";

    /** {@code GuestIpAddress}. */
    record IpAddress(@SerializedName("ip-address") String ipAddress,
                     @SerializedName("ip-address-type") String ipAddressType, long prefix) {
    }

    /** {@code GuestNetworkInterfaceStat}: all uint64. */
    record InterfaceStat(@SerializedName("rx-bytes") long rxBytes, @SerializedName("rx-packets") long rxPackets,
                         @SerializedName("rx-errs") long rxErrs, @SerializedName("rx-dropped") long rxDropped,
                         @SerializedName("tx-bytes") long txBytes, @SerializedName("tx-packets") long txPackets,
                         @SerializedName("tx-errs") long txErrs, @SerializedName("tx-dropped") long txDropped) {
    }

    /** {@code GuestNetworkInterface}. */
    record NetworkInterface(String name, @SerializedName("hardware-address") String hardwareAddress,
                            @SerializedName("ip-addresses") List<IpAddress> ipAddresses,
                            InterfaceStat statistics) {
    }

    /** {@code getifaddrs}, a seam for tests. */
    interface AddressSource {
        List<InterfaceAddress> addresses() throws PosixException;
    }

    private final SystemRoot root;
    private final AddressSource source;

    @Inject
    GuestNetworkGetInterfaces(SystemRoot root, Provider<Posix> posix) {
        this(root, () -> posix.get().interfaceAddresses());
    }

    GuestNetworkGetInterfaces(SystemRoot root, AddressSource source) {
        this.root = root;
        this.source = source;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    /** What we learn about one interface while walking the list. */
    private static final class Building {
        final String name;
        String hardwareAddress;
        List<IpAddress> addresses;
        InterfaceStat statistics;

        Building(String name) {
            this.name = name;
        }
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        List<InterfaceAddress> entries;
        try {
            entries = source.addresses();
        } catch (PosixException e) {
            throw new CommandException("getifaddrs failed: " + e.getMessage().replaceFirst("^getifaddrs\\(\\): ", ""));
        }
        Map<String, Building> byName = new LinkedHashMap<>();
        String netDev = null;
        boolean netDevRead = false;
        for (InterfaceAddress e : entries) {
            Building b = byName.computeIfAbsent(e.name(), Building::new);
            if (b.hardwareAddress == null) {
                b.hardwareAddress = hardwareAddress(e.name());
            }
            IpAddress ip = ipAddress(e);
            if (ip == null) {
                continue;
            }
            if (b.addresses == null) {
                b.addresses = new ArrayList<>();
            }
            b.addresses.add(ip);
            if (b.statistics == null) {
                if (!netDevRead) {
                    netDevRead = true;
                    try {
                        netDev = root.read(NET_DEV);
                    } catch (FileFailure f) {
                        netDev = null; // qemu-ga only logs this at debug level
                    }
                }
                b.statistics = netDev == null ? null : statistics(netDev, b.name);
            }
        }
        List<NetworkInterface> list = new ArrayList<>();
        for (Building b : byName.values()) {
            list.add(new NetworkInterface(b.name, b.hardwareAddress, b.addresses, b.statistics));
        }
        return list;
    }

    private static IpAddress ipAddress(InterfaceAddress e) {
        String type;
        if (e.family() == InterfaceAddress.AF_INET) {
            type = "ipv4";
        } else if (e.family() == InterfaceAddress.AF_INET6) {
            type = "ipv6";
        } else {
            return null;
        }
        long prefix = 0;
        for (byte m : e.netmask()) {
            prefix += Integer.bitCount(m & 0xFF);
        }
        return new IpAddress(InetText.ntop(e.address()), type, prefix);
    }

    /**
     * {@code SIOCGIFHWADDR} strips an alias suffix ({@code eth0:1} is {@code eth0}) and copies the link address
     * into a zeroed buffer, of which qemu-ga prints six bytes.
     */
    private String hardwareAddress(String name) {
        int colon = name.indexOf(':');
        String device = colon >= 0 ? name.substring(0, colon) : name;
        if (device.isEmpty() || device.contains("/")) {
            return null;
        }
        String text;
        try {
            text = root.read("/sys/class/net/" + device + "/address").trim();
        } catch (FileFailure f) {
            return null;
        }
        byte[] mac = new byte[6];
        if (!text.isEmpty()) {
            String[] parts = text.split(":");
            for (int i = 0; i < Math.min(6, parts.length); i++) {
                try {
                    mac[i] = (byte) Integer.parseInt(parts[i], 16);
                } catch (NumberFormatException x) {
                    return null;
                }
            }
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", mac[i] & 0xFF));
        }
        return sb.toString();
    }

    /** The {@code /proc/net/dev} line whose text before the first colon is exactly {@code name}. */
    static InterfaceStat statistics(String netDev, String name) {
        for (String raw : netDev.split("\n")) {
            String line = raw.stripLeading();
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).equals(name)) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            long[] v = new long[16];
            try {
                for (int i = 0; i < 16; i++) {
                    v[i] = Long.parseLong(f[i]);
                }
            } catch (NumberFormatException e) {
                continue;
            }
            return new InterfaceStat(v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11]);
        }
        return null;
    }
}
