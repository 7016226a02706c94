package org.jqga.agent.commands.memory;

import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/** qemu-ga's {@code ga_read_sysfs_file}: its messages name only the file, relative to the directory it opened. */
final class SysfsFile {
    private SysfsFile() {
    }

    /** At most {@code size} bytes; failures carry qemu-ga's message ({@code open sysfs file "state": ...}). */
    static byte[] read(SystemRoot root, String dir, String name, int size) throws FileFailure {
        byte[] data;
        try {
            data = root.readPrefix(dir + name, size);
        } catch (FileFailure e) {
            String call = e.errno() == FileFailure.EISDIR ? "pread" : "open";
            throw new FileFailure(call + " sysfs file \"" + name + "\"", e.errno(), e.strerror());
        }
        if (data.length == 0) {
            throw new FileFailure("pread sysfs file \"" + name + "\"", -1, "unexpected EOF");
        }
        return data;
    }
}
