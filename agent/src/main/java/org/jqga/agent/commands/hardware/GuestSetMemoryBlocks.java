package org.jqga.agent.commands.hardware;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.commands.hardware.MemoryBlockResponse.Type;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;

/**
 * Brings memory blocks online or offline through {@code /sys/devices/system/memory/memoryN/state}. Every request
 * gets its own response, in request order, with qemu-ga's response types and the errno of the step that failed,
 * so the client sees exactly which blocks changed. A block already in the requested state succeeds untouched.
 */
final class GuestSetMemoryBlocks implements Command<SetMemoryBlocksArguments> {
    static final CommandSpec<SetMemoryBlocksArguments> SPEC =
            CommandSpec.of("guest-set-memory-blocks", SetMemoryBlocksArguments.class);
    private static final String MEMORY_DIR = "/sys/devices/system/memory/";
    /** qemu-ga reads this much of a block's state file. */
    private static final int STATE_READ_LIMIT = 10;

    private final HostPaths paths;
    private final Errno errno;

    @Inject
    GuestSetMemoryBlocks(HostPaths paths, Errno errno) {
        this.paths = paths;
        this.errno = errno;
    }

    @Override
    public CommandSpec<SetMemoryBlocksArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(SetMemoryBlocksArguments arguments) {
        List<MemoryBlockResponse> responses = new ArrayList<>(arguments.memBlks().size());
        for (MemoryBlockRequest block : arguments.memBlks()) {
            responses.add(apply(block));
        }
        return responses;
    }

    private MemoryBlockResponse apply(MemoryBlockRequest block) {
        long index = block.physIndex();
        try (DirectoryStream<Path> ignored = Files.newDirectoryStream(paths.resolve(MEMORY_DIR))) {
            // Only whether the directory can be listed matters here.
        } catch (IOException e) {
            int code = errno.number(e);
            // No memory directory at all: the guest cannot hotplug memory. Any other failure keeps qemu-ga's
            // quirk of a "success" type that carries the errno.
            return MemoryBlockResponse.of(index, code == Errno.ENOENT ? Type.OPERATION_NOT_SUPPORTED : Type.SUCCESS,
                    code);
        }
        // qemu-ga formats the (unsigned) index as signed: so do we, to touch the same file.
        Path dir = paths.resolve(MEMORY_DIR + "memory" + index + "/");
        try {
            if (!Files.readAttributes(dir, BasicFileAttributes.class).isDirectory()) {
                return MemoryBlockResponse.of(index, Type.OPERATION_FAILED, Errno.ENOTDIR);
            }
        } catch (IOException e) {
            int code = errno.number(e);
            return MemoryBlockResponse.of(index, code == Errno.ENOENT ? Type.NOT_FOUND : Type.OPERATION_FAILED,
                    code);
        }
        Path stateFile = dir.resolve("state");
        String state;
        try (FileChannel ch = FileChannel.open(stateFile, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(STATE_READ_LIMIT);
            int n = ch.read(buf, 0);
            if (n <= 0) {
                return MemoryBlockResponse.of(index, Type.OPERATION_FAILED, 0); // qemu-ga: errno is 0 after EOF
            }
            state = new String(buf.array(), 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            int code = errno.number(e);
            if (code == Errno.ENOENT) {
                // A kernel without the state file: its blocks are online and cannot be offlined.
                return MemoryBlockResponse.of(index, block.online() ? Type.SUCCESS : Type.OPERATION_NOT_SUPPORTED,
                        code);
            }
            return MemoryBlockResponse.of(index, Type.OPERATION_FAILED, code);
        }
        if (block.online() == state.startsWith("online")) {
            return MemoryBlockResponse.of(index, Type.SUCCESS, null);
        }
        String wanted = block.online() ? "online" : "offline";
        try (FileChannel ch = FileChannel.open(stateFile, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(wanted.getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            return MemoryBlockResponse.of(index, Type.OPERATION_FAILED, errno.number(e));
        }
        return MemoryBlockResponse.of(index, Type.SUCCESS, null);
    }
}
