package org.jqga.agent.commands.disk;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/**
 * One entry per {@code /proc/diskstats} line. Which counters appear depends on how many columns the kernel wrote:
 * the old four-field partition format, the 11 classic fields, then discard (kernel 4.18) and flush (5.5) counters.
 */
final class GuestGetDiskstats implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-diskstats", NoArguments.class);
    static final String DISKSTATS = "/proc/diskstats";

    /** {@code GuestDiskStats}: every member an optional uint64, in schema order. */
    record DiskStats(@SerializedName("read-sectors") Long readSectors, @SerializedName("read-ios") Long readIos,
                     @SerializedName("read-merges") Long readMerges,
                     @SerializedName("write-sectors") Long writeSectors, @SerializedName("write-ios") Long writeIos,
                     @SerializedName("write-merges") Long writeMerges,
                     @SerializedName("discard-sectors") Long discardSectors,
                     @SerializedName("discard-ios") Long discardIos,
                     @SerializedName("discard-merges") Long discardMerges,
                     @SerializedName("flush-ios") Long flushIos, @SerializedName("read-ticks") Long readTicks,
                     @SerializedName("write-ticks") Long writeTicks,
                     @SerializedName("discard-ticks") Long discardTicks,
                     @SerializedName("flush-ticks") Long flushTicks, @SerializedName("ios-pgr") Long iosPgr,
                     @SerializedName("total-ticks") Long totalTicks,
                     @SerializedName("weight-ticks") Long weightTicks) {
    }

    /** {@code GuestDiskStatsInfo}. */
    record DiskStatsInfo(String name, long major, long minor, DiskStats stats) {
    }

    /** Which of qemu-ga's sscanf fields are C {@code unsigned int} (the rest are {@code unsigned long}). */
    private static final boolean[] UINT = new boolean[20];

    static {
        for (int i : new int[] {0, 1, 10, 11, 12, 13, 17, 19}) {
            UINT[i] = true;
        }
    }

    private final SystemRoot root;

    @Inject
    GuestGetDiskstats(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        String text;
        try {
            text = root.read(DISKSTATS);
        } catch (FileFailure e) {
            throw new CommandException("open(\"" + DISKSTATS + "\"): " + e.strerror());
        }
        List<DiskStatsInfo> list = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // sscanf("%u %u %s %lu ..."): count the conversions that succeed, in order.
            long[] v = new long[20];
            String name = null;
            int n = 0;
            for (int i = 0; i < f.length && n < 20; i++) {
                if (n == 2) {
                    name = f[i];
                    n++;
                    continue;
                }
                Long parsed = unsigned(f[i], UINT[n]);
                if (parsed == null) {
                    break;
                }
                v[n++] = parsed;
            }
            if (n < 7) {
                continue;
            }
            Long[] s = new Long[17];
            DiskStats stats;
            if (n == 7) {
                stats = new DiskStats(v[4], v[3], null, v[6], v[5], null, null, null, null, null, null, null, null,
                        null, null, null, null);
            } else if (n >= 14) {
                stats = new DiskStats(v[5], v[3], v[4], v[9], v[7], v[8],
                        n >= 18 ? v[16] : null, n >= 18 ? v[14] : null, n >= 18 ? v[15] : null,
                        n >= 20 ? v[18] : null, v[6], v[10], n >= 18 ? v[17] : null, n >= 20 ? v[19] : null,
                        v[11], v[12], v[13]);
            } else {
                stats = new DiskStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11],
                        s[12], s[13], s[14], s[15], s[16]);
            }
            list.add(new DiskStatsInfo(name, v[0], v[1], stats));
        }
        return list;
    }

    /** {@code %u}/{@code %lu}: decimal digits (a leading sign wraps, as strtoul does); null when not a number. */
    private static Long unsigned(String s, boolean uint) {
        String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        int end = 0;
        while (end < digits.length() && Character.isDigit(digits.charAt(end))) {
            end++;
        }
        if (end == 0) {
            return null;
        }
        long v;
        try {
            v = Long.parseUnsignedLong(digits.substring(0, end));
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (s.startsWith("-")) {
            v = -v;
        }
        return uint ? v & 0xFFFFFFFFL : v;
    }
}
