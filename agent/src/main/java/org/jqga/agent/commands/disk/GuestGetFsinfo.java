package org.jqga.agent.commands.disk;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import com.google.inject.Provider;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.MountTable;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.StatVfs;

/**
 * One entry per mounted local filesystem, last mount first: its device's sysfs name, mount point, type, the disks
 * under it and, when {@code statvfs} answers, its sizes.
 */
final class GuestGetFsinfo implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-fsinfo", NoArguments.class);

    /** {@code GuestFilesystemInfo}, members in schema order. */
    record FilesystemInfo(String name, String mountpoint, String type,
                          @SerializedName("used-bytes") Long usedBytes,
                          @SerializedName("total-bytes") Long totalBytes,
                          @SerializedName("total-bytes-privileged") Long totalBytesPrivileged,
                          List<DiskAddress> disk) {
    }

    /** {@code statvfs}, a seam for tests. */
    interface Statvfs {
        StatVfs of(String path) throws PosixException;
    }

    private final SystemRoot root;
    private final Statvfs statvfs;

    @Inject
    GuestGetFsinfo(SystemRoot root, Provider<Posix> posix) {
        this(root, path -> posix.get().statvfs(root.path(path).toString()));
    }

    GuestGetFsinfo(SystemRoot root, Statvfs statvfs) {
        this.root = root;
        this.statvfs = statvfs;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        List<MountTable.Mount> mounts;
        try {
            mounts = new MountTable(root).mounts();
        } catch (FileFailure e) {
            throw new CommandException("failed to open mtab file: '" + MountTable.MTAB + "'");
        }
        DeviceWalker walker = new DeviceWalker(root);
        List<FilesystemInfo> list = new ArrayList<>();
        for (MountTable.Mount m : mounts) {
            DeviceWalker.Result r = new DeviceWalker.Result();
            walker.walk("/sys/dev/block/" + m.major() + ":" + m.minor(), r);
            Long used = null;
            Long total = null;
            Long privileged = null;
            try {
                StatVfs s = statvfs.of(m.dirname());
                long usedBlocks = s.blocks() - s.freeBlocks();
                used = usedBlocks * s.fragmentSize();
                total = (usedBlocks + s.availableBlocks()) * s.fragmentSize();
                privileged = s.blocks() * s.fragmentSize();
            } catch (PosixException e) {
                // qemu-ga leaves the sizes out when statvfs fails.
            }
            list.add(0, new FilesystemInfo(r.name, m.dirname(), m.devtype(), used, total, privileged, r.disks));
        }
        return list;
    }
}
