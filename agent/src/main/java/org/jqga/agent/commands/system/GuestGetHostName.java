package org.jqga.agent.commands.system;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/**
 * The host name as {@code gethostname(2)} returns it, read fresh each call (qemu-ga avoids GLib's cached copy):
 * the UTS name in {@code /proc/sys/kernel/hostname}.
 */
final class GuestGetHostName implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-host-name", NoArguments.class);
    static final String HOSTNAME = "/proc/sys/kernel/hostname";

    /** {@code GuestHostName}. */
    record HostName(@SerializedName("host-name") String hostName) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetHostName(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        String name;
        try {
            name = root.read(HOSTNAME);
        } catch (FileFailure e) {
            throw new CommandException("cannot get hostname: " + e.strerror());
        }
        int nl = name.indexOf('\n');
        return new HostName(nl >= 0 ? name.substring(0, nl) : name);
    }
}
