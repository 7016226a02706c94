package org.jqga.agent.commands.hardware;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;

/**
 * Brings logical processors online or offline through {@code /sys/devices/system/cpu/cpuN/online}, in request
 * order, stopping at the first failure. Returns how many requests were carried out, so a partial run tells the
 * client where it stopped; only when the very first one fails is the failure itself the answer (qemu-ga's rule).
 * A processor without an {@code online} file (usually cpu0) cannot be offlined; asking it to be online succeeds.
 */
final class GuestSetVcpus implements Command<SetVcpusArguments> {
    private static final Logger LOG = Logger.getLogger(GuestSetVcpus.class.getName());
    static final CommandSpec<SetVcpusArguments> SPEC =
            CommandSpec.of("guest-set-vcpus", SetVcpusArguments.class);

    private final HostPaths paths;
    private final Errno errno;

    @Inject
    GuestSetVcpus(HostPaths paths, Errno errno) {
        this.paths = paths;
        this.errno = errno;
    }

    @Override
    public CommandSpec<SetVcpusArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(SetVcpusArguments arguments) throws CommandException {
        long processed = 0;
        for (LogicalProcessorRequest vcpu : arguments.vcpus()) {
            try {
                apply(vcpu);
            } catch (CommandException e) {
                if (processed == 0) {
                    throw e;
                }
                long done = processed;
                LOG.warning(() -> "guest-set-vcpus: carried out " + done + " of " + arguments.vcpus().size()
                        + " requests, then: " + e.getMessage());
                break;
            }
            processed++;
        }
        return processed;
    }

    private void apply(LogicalProcessorRequest vcpu) throws CommandException {
        String dir = "/sys/devices/system/cpu/cpu" + vcpu.logicalId() + "/";
        Path dirPath = paths.resolve(dir);
        try {
            if (!Files.readAttributes(dirPath, BasicFileAttributes.class).isDirectory()) {
                throw new CommandException("open(\"" + dir + "\"): " + errno.text(Errno.ENOTDIR));
            }
        } catch (IOException e) {
            throw new CommandException("open(\"" + dir + "\"): " + errno.text(e));
        }
        // qemu-ga joins "%s/%s" onto a directory that already ends in '/': its texts have the double slash.
        String file = dir + "/online";
        try (FileChannel ch = FileChannel.open(dirPath.resolve("online"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer status = ByteBuffer.allocate(1);
            int n;
            try {
                n = ch.read(status, 0);
            } catch (IOException e) {
                throw new CommandException("pread(\"" + file + "\"): " + errno.text(e));
            }
            if (n <= 0) {
                throw new CommandException("pread(\"" + file + "\"): unexpected EOF");
            }
            boolean online = status.get(0) != '0';
            if (online != vcpu.online()) {
                try {
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) (vcpu.online() ? '1' : '0')}), 0);
                } catch (IOException e) {
                    throw new CommandException("pwrite(\"" + file + "\"): " + errno.text(e));
                }
            }
        } catch (NoSuchFileException e) {
            if (!vcpu.online()) {
                throw new CommandException("logical processor #" + vcpu.logicalId() + " can't be offlined");
            }
        } catch (IOException e) {
            throw new CommandException("open(\"" + file + "\"): " + errno.text(e));
        }
    }
}
