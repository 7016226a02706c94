package org.jqga.agent.commands.memory;

import com.google.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/** The memory block size: the hex number in {@code /sys/devices/system/memory/block_size_bytes}. */
final class GuestGetMemoryBlockInfo implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-get-memory-block-info", NoArguments.class);

    /** {@code GuestMemoryBlockInfo}. */
    record MemoryBlockInfo(long size) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetMemoryBlockInfo(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        String dir = GuestGetMemoryBlocks.MEMORY_DIR;
        if (!java.nio.file.Files.isDirectory(root.path(dir))) {
            String why = java.nio.file.Files.exists(root.path(dir)) ? "Not a directory" : "No such file or directory";
            throw new CommandException("open(\"" + dir + "\"): " + why);
        }
        byte[] raw;
        try {
            raw = SysfsFile.read(root, dir, "block_size_bytes", 20);
        } catch (FileFailure e) {
            throw new CommandException(e.getMessage());
        }
        return new MemoryBlockInfo(strtolHex(new String(raw, StandardCharsets.ISO_8859_1)));
    }

    /** {@code strtol(s, NULL, 16)}: leading blanks, an optional sign and {@code 0x}, then hex digits. */
    static long strtolHex(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i + 2 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && Character.digit(s.charAt(i + 2), 16) >= 0) {
            i += 2;
        }
        long v = 0;
        while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
            int d = Character.digit(s.charAt(i), 16);
            if (v > (Long.MAX_VALUE - d) / 16) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            v = v * 16 + d;
            i++;
        }
        return negative ? -v : v;
    }
}
