package org.jqga.agent.commands.memory;

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
 * One entry per {@code /sys/devices/system/memory/memoryN} directory, in directory order: online when
 * {@code state} starts with {@code online}, offlinable when {@code removable} is not {@code 0}. No memory
 * directory at all is {@code []}; an empty one is qemu-ga's {@code guest reported zero memory blocks!}.
 */
final class GuestGetMemoryBlocks implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-get-memory-blocks", NoArguments.class);
    static final String MEMORY_DIR = "/sys/devices/system/memory/";

    /** {@code GuestMemoryBlock}; phys-index is uint64. */
    record MemoryBlock(@SerializedName("phys-index") long physIndex, boolean online,
                       @SerializedName("can-offline") boolean canOffline) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetMemoryBlocks(SystemRoot root) {
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
            names = root.list(MEMORY_DIR);
        } catch (FileFailure e) {
            if (e.isNotFound()) {
                return List.of();
            }
            throw new CommandException("Can't open directory\"" + MEMORY_DIR + "\": " + e.strerror());
        }
        List<MemoryBlock> blocks = new ArrayList<>();
        for (String name : names) {
            if (!name.startsWith("memory") || !root.isDirectoryEntry(MEMORY_DIR + name)) {
                continue;
            }
            long index = strtoul(name.substring(6));
            blocks.add(read(index));
        }
        if (blocks.isEmpty()) {
            throw new CommandException("guest reported zero memory blocks!");
        }
        return blocks;
    }

    private MemoryBlock read(long index) throws CommandException {
        String dir = MEMORY_DIR + "memory" + index + "/";
        if (!java.nio.file.Files.isDirectory(root.path(dir))) {
            throw new CommandException("open(\"" + dir + "\"): No such file or directory");
        }
        byte[] state;
        try {
            state = SysfsFile.read(root, dir, "state", 10);
        } catch (FileFailure e) {
            if (e.isNotFound()) {
                return new MemoryBlock(index, true, false);
            }
            throw new CommandException(e.getMessage());
        }
        boolean online = new String(state, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("online");
        boolean canOffline;
        try {
            canOffline = SysfsFile.read(root, dir, "removable", 1)[0] != '0';
        } catch (FileFailure e) {
            if (!e.isNotFound()) {
                throw new CommandException(e.getMessage());
            }
            canOffline = false;
        }
        return new MemoryBlock(index, online, canOffline);
    }

    /** {@code strtoul(s, NULL, 10)}: the leading digits, 0 when there are none. */
    private static long strtoul(String s) {
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == 0) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            return -1; // ULONG_MAX
        }
    }
}
