package org.jqga.agent.commands.disk;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/**
 * Every block device of non-zero size in {@code /sys/block}, with its address (real devices), device-mapper alias
 * and the devices it is built on, each followed by its partitions; qemu-ga builds the list by prepending, so it
 * comes out reversed, partitions before their disk. NVMe SMART data is not collected (see the package notes).
 */
final class GuestGetDisks implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-disks", NoArguments.class);
    static final String SYS_BLOCK = "/sys/block";

    /** {@code GuestDiskInfo}, members in schema order ({@code smart} is never filled). */
    record DiskInfo(String name, boolean partition, List<String> dependencies, DiskAddress address, String alias) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetDisks(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        List<String> entries;
        try {
            entries = root.list(SYS_BLOCK);
        } catch (FileFailure e) {
            throw new CommandException("Can't open directory \"" + SYS_BLOCK + "\": " + e.strerror());
        }
        DeviceWalker walker = new DeviceWalker(root);
        List<DiskInfo> list = new ArrayList<>();
        for (String entry : entries) {
            String diskDir = SYS_BLOCK + "/" + entry;
            if (!root.isSymbolicLink(diskDir)) {
                continue;
            }
            String size;
            try {
                size = root.read(diskDir + "/size");
            } catch (FileFailure e) {
                continue;
            }
            if (size.equals("0\n")) {
                continue;
            }
            Optional<String> dev = walker.devnode(diskDir);
            if (dev.isEmpty()) {
                continue;
            }
            String alias = walker.property(diskDir, "DM_NAME").filter(s -> !s.isEmpty()).orElse(null);
            DiskAddress address = null;
            boolean virtual;
            try {
                virtual = DeviceWalker.isVirtual(root.realpath(diskDir));
            } catch (FileFailure e) {
                virtual = true; // qemu-ga ignores the error and skips the address
            }
            if (!virtual) {
                DeviceWalker.Result r = new DeviceWalker.Result();
                try {
                    walker.walk(diskDir, r);
                    address = r.disks.isEmpty() ? null : r.disks.get(0);
                } catch (CommandException e) {
                    address = null; // ignored by qemu-ga too
                }
            }
            list.add(0, new DiskInfo(dev.get(), false, dependencies(walker, diskDir), address, alias));
            partitions(walker, entry, diskDir, dev.get(), list);
        }
        return list;
    }

    /** The device nodes of {@code slaves}, prepended; absent when there is no slaves directory. */
    private List<String> dependencies(DeviceWalker walker, String diskDir) {
        List<String> names;
        try {
            names = root.list(diskDir + "/slaves");
        } catch (FileFailure e) {
            return null;
        }
        List<String> deps = new ArrayList<>();
        for (String n : names) {
            walker.devnode(diskDir + "/slaves/" + n).ifPresent(d -> deps.add(0, d));
        }
        return deps;
    }

    /** Sub-directories named {@code <disk>N} or {@code <disk>pN}. */
    private void partitions(DeviceWalker walker, String diskName, String diskDir, String diskDev,
                            List<DiskInfo> list) {
        List<String> names;
        try {
            names = root.list(diskDir);
        } catch (FileFailure e) {
            return;
        }
        for (String n : names) {
            if (!java.nio.file.Files.isDirectory(root.path(diskDir + "/" + n), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    || !n.startsWith(diskName)) {
                continue;
            }
            String rest = n.substring(diskName.length());
            boolean numbered = !rest.isEmpty() && (Character.isDigit(rest.charAt(0))
                    || (rest.charAt(0) == 'p' && rest.length() > 1 && Character.isDigit(rest.charAt(1))));
            if (!numbered) {
                continue;
            }
            Optional<String> dev = walker.devnode(diskDir + "/" + n);
            if (dev.isEmpty()) {
                continue;
            }
            list.add(0, new DiskInfo(dev.get(), true, List.of(diskDev), null, null));
        }
    }
}
