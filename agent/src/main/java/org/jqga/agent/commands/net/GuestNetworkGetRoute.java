package org.jqga.agent.commands.net;

import com.google.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.api.posix.InetText;

/**
 * The routing tables: {@code /proc/net/route} (after its header) then {@code /proc/net/ipv6_route}. As in
 * qemu-ga, a table that cannot be opened fails the whole command, naming the file, even when the other was read.
 */
final class GuestNetworkGetRoute implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-network-get-route", NoArguments.class);
    static final String ROUTE = "/proc/net/route";
    static final String IPV6_ROUTE = "/proc/net/ipv6_route";

    /** {@code GuestNetworkRoute}, members in schema order. */
    record Route(String iface, String destination, long metric, String gateway, String mask, Long irtt, Number flags,
                 Long refcnt, Long use, Long window, Long mtu, String desprefixlen, String source,
                 String srcprefixlen, String nexthop, long version) {
    }

    private final SystemRoot root;

    @Inject
    GuestNetworkGetRoute(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        List<Route> routes = new ArrayList<>();
        CommandException failure = null;
        try {
            String[] lines = root.read(ROUTE).split("\n");
            for (int i = 1; i < lines.length; i++) {
                Route r = ipv4(lines[i]);
                if (r != null) {
                    routes.add(r);
                }
            }
        } catch (FileFailure e) {
            failure = new CommandException("open(\"" + ROUTE + "\"): " + e.strerror());
        }
        try {
            for (String line : root.read(IPV6_ROUTE).split("\n")) {
                Route r = ipv6(line);
                if (r != null) {
                    routes.add(r);
                }
            }
        } catch (FileFailure e) {
            if (failure == null) {
                failure = new CommandException("open(\"" + IPV6_ROUTE + "\"): " + e.strerror());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return routes;
    }

    /** {@code "%s %X %X %x %d %d %d %X %d %d %d"}: all eleven columns must parse. */
    private static Route ipv4(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 11) {
            return null;
        }
        try {
            long dest = hex32(f[1]);
            long gateway = hex32(f[2]);
            long flags = hex32(f[3]);
            int refcnt = int32(f[4]);
            int use = int32(f[5]);
            int metric = int32(f[6]);
            long mask = hex32(f[7]);
            int mtu = int32(f[8]);
            int window = int32(f[9]);
            int irtt = int32(f[10]);
            return new Route(f[0], quad(dest), metric, quad(gateway), quad(mask), (long) irtt, flags,
                    (long) refcnt, (long) use, (long) window, (long) mtu, null, null, null, null, 4);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code "%32s %x %32s %x %32s %x %x %x %x %s"}; metric, refcnt, use and flags are C ints read as hex. */
    private static Route ipv6(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) {
            return null;
        }
        try {
            int desLen = (int) hex32(f[1]);
            int srcLen = (int) hex32(f[3]);
            int metric = (int) hex32(f[5]);
            int refcnt = (int) hex32(f[6]);
            int use = (int) hex32(f[7]);
            int flags = (int) hex32(f[8]);
            String destination = ipv6Text(f[0]);
            if (destination == null) {
                return null;
            }
            return new Route(f[9], destination, metric, null, null, null, signExtendedUint64(flags), (long) refcnt,
                    (long) use,
                    null, null, Integer.toString(desLen), ipv6Text(f[2]), Integer.toString(srcLen), ipv6Text(f[4]),
                    6);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * qemu-ga reads the IPv6 flags into a C {@code int} and stores that in the uint64 {@code flags}: a route with
     * the top bit set (RTF_ADDRCONF|RTF_CACHE..., e.g. {@code 80200001}) is sign-extended, as C converts it.
     */
    private static Number signExtendedUint64(int value) {
        return value >= 0 ? (Number) (long) value : new BigInteger(Long.toUnsignedString(value));
    }

    /** The file's hex is the address in network order; qemu-ga's inet_ntop then prints it. */
    private static String ipv6Text(String hex) {
        if (hex.length() < 32) {
            return null;
        }
        byte[] a = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0) {
                return null;
            }
            a[i] = (byte) (lo < 0 ? hi : hi * 16 + lo);
        }
        return InetText.ntop(a);
    }

    /** The column is the in-memory (little-endian) word printed as hex: its low byte is the first octet. */
    private static String quad(long v) {
        return (v & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 24) & 0xFF);
    }

    private static long hex32(String s) {
        return Long.parseUnsignedLong(s, 16) & 0xFFFFFFFFL;
    }

    private static int int32(String s) {
        return (int) Long.parseLong(s);
    }
}
