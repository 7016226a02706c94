package org.jqga.agent.commands.cpu;

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
 * One entry per {@code cpuN} line of {@code /proc/stat} (the aggregate {@code cpu} line is skipped), each counter
 * converted from clock ticks to milliseconds; optional counters appear when the line has their column. A
 * {@code cpuN} line with fewer than four numbers ends the scan, as in qemu-ga.
 */
final class GuestGetCpustats implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-cpustats", NoArguments.class);
    static final String STAT = "/proc/stat";
    /** {@code sysconf(_SC_CLK_TCK)}: the kernel's USER_HZ, which is 100 on every architecture Linux runs on today. */
    static final long CLK_TCK = 100;

    /** {@code GuestCpuStats} with {@code type: "linux"} (a flat union: the variant's members sit beside type). */
    record CpuStats(String type, long cpu, long user, long nice, long system, long idle, Long iowait, Long irq,
                    Long softirq, Long steal, Long guest, Long guestnice) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetCpustats(SystemRoot root) {
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
            text = root.read(STAT);
        } catch (FileFailure e) {
            throw new CommandException("open(\"" + STAT + "\"): " + e.strerror());
        }
        List<CpuStats> list = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            String name = f[0];
            if (!name.startsWith("cpu") || name.length() == 3) {
                continue;
            }
            long[] v = new long[10];
            int n = 0;
            while (n < 10 && n + 1 < f.length) {
                try {
                    v[n] = Long.parseUnsignedLong(f[n + 1]);
                } catch (NumberFormatException e) {
                    break;
                }
                n++;
            }
            int i = n + 1; // sscanf's count includes the name
            if (i < 5) {
                break;
            }
            list.add(new CpuStats("linux", atoi(name.substring(3)), ms(v[0]), ms(v[1]), ms(v[2]), ms(v[3]),
                    i > 5 ? ms(v[4]) : null, i > 6 ? ms(v[5]) : null, i > 6 ? ms(v[6]) : null,
                    i > 8 ? ms(v[7]) : null, i > 9 ? ms(v[8]) : null, i > 10 ? ms(v[9]) : null));
        }
        return list;
    }

    private static long ms(long ticks) {
        return Long.divideUnsigned(ticks * 1000, CLK_TCK);
    }

    private static long atoi(String s) {
        int end = 0;
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+')) {
            end++;
        }
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
