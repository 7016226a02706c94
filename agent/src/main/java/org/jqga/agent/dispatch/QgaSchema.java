package org.jqga.agent.dispatch;

import java.util.List;

/**
 * The order of qemu-ga's command schema (QEMU 10.2). {@code guest-info} lists commands in reverse of this order
 * and {@code --block-rpcs=help} in this order, as qemu-ga does; commands not listed sort after these.
 */
public final class QgaSchema {
    /** The version of QEMU whose Linux command set jqga implements; reported by {@code guest-info}. */
    public static final String QEMU_VERSION = "10.2.0";

    public static final List<String> COMMAND_ORDER = List.of(
            "guest-sync-delimited", "guest-sync", "guest-ping", "guest-get-time", "guest-set-time", "guest-info",
            "guest-shutdown", "guest-file-open", "guest-file-close", "guest-file-read", "guest-file-write",
            "guest-file-seek", "guest-file-flush", "guest-fsfreeze-status", "guest-fsfreeze-freeze",
            "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw", "guest-fstrim", "guest-suspend-disk",
            "guest-suspend-ram", "guest-suspend-hybrid", "guest-network-get-interfaces", "guest-get-vcpus",
            "guest-set-vcpus", "guest-get-disks", "guest-get-fsinfo", "guest-set-user-password",
            "guest-get-memory-blocks", "guest-set-memory-blocks", "guest-get-memory-block-info",
            "guest-exec-status", "guest-exec", "guest-get-host-name", "guest-get-users", "guest-get-timezone",
            "guest-get-osinfo", "guest-get-devices", "guest-ssh-get-authorized-keys",
            "guest-ssh-add-authorized-keys", "guest-ssh-remove-authorized-keys", "guest-get-diskstats",
            "guest-get-cpustats", "guest-get-load", "guest-network-get-route");

    /** The commands qemu-ga keeps enabled while filesystems are frozen. */
    public static final List<String> FROZEN_SAFE = List.of("guest-ping", "guest-info", "guest-sync",
            "guest-sync-delimited", "guest-fsfreeze-status", "guest-fsfreeze-thaw");

    private QgaSchema() {
    }

    static int position(String name) {
        int i = COMMAND_ORDER.indexOf(name);
        return i < 0 ? COMMAND_ORDER.size() : i;
    }
}
