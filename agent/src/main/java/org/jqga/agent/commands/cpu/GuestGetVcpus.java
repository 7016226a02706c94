package org.jqga.agent.commands.cpu;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/**
 * One entry per {@code /sys/devices/system/cpu/cpuN}, in directory order: {@code online} from the first byte of
 * {@code cpuN/online} and {@code can-offline: true}; a CPU without that file (usually cpu0) is online and cannot
 * be offlined.
 */
final class GuestGetVcpus implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-vcpus", NoArguments.class);
    static final String CPU_DIR = "/sys/devices/system/cpu";
    /** {@code sscanf(name, "cpu%ld")} succeeds on these. */
    private static final Pattern CPU = Pattern.compile("cpu\\s*([+-]?\\d+).*", Pattern.DOTALL);

    /** {@code GuestLogicalProcessor}. */
    record LogicalProcessor(@SerializedName("logical-id") long logicalId, boolean online,
                            @SerializedName("can-offline") boolean canOffline) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetVcpus(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        List<String> names;
        try {
            names = root.list(CPU_DIR);
        } catch (FileFailure e) {
            throw new CommandException("failed to list entries: " + CPU_DIR + ": " + e.strerror());
        }
        List<LogicalProcessor> cpus = new ArrayList<>();
        for (String name : names) {
            Matcher m = CPU.matcher(name);
            if (!m.matches()) {
                continue;
            }
            long id;
            try {
                id = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                continue;
            }
            cpus.add(read(id));
        }
        return cpus;
    }

    private LogicalProcessor read(long id) throws CommandException {
        String dir = CPU_DIR + "/cpu" + id + "/";
        if (!root.isDirectoryEntry(dir) && !root.exists(dir)) {
            throw new CommandException("open(\"" + dir + "\"): No such file or directory");
        }
        // qemu-ga joins "<dir>/" and "/online", hence the double slash in its messages.
        String online = dir + "/online";
        byte[] first;
        try {
            first = root.readPrefix(dir + "online", 1);
        } catch (FileFailure e) {
            if (e.isNotFound()) {
                return new LogicalProcessor(id, true, false);
            }
            throw new CommandException((e.errno() == FileFailure.EISDIR ? "pread" : "open") + "(\"" + online
                    + "\"): " + e.strerror());
        }
        if (first.length == 0) {
            throw new CommandException("pread(\"" + online + "\"): unexpected EOF");
        }
        return new LogicalProcessor(id, first[0] != '0', true);
    }
}
