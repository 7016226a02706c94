package org.jqga.agent.commands.power;

import com.google.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.linux.HostPaths;
import org.jqga.agent.linux.Interrupts;
import org.jqga.agent.linux.ProgramRunner;
import org.jqga.agent.linux.RunCommand;

/**
 * Powers down, halts or reboots the guest as qemu-ga 10.2 does: {@code /sbin/poweroff}, {@code /sbin/halt} or
 * {@code /sbin/reboot} when executable, else {@code /sbin/shutdown -h -P|-H|-r +0 "hypervisor initiated shutdown"};
 * it waits for that program. Success sends no response (the guest is going away); failure sends the error.
 */
final class GuestShutdown implements Command<ShutdownArguments> {
    private static final Logger LOG = Logger.getLogger(GuestShutdown.class.getName());
    static final CommandSpec<ShutdownArguments> SPEC =
            CommandSpec.of("guest-shutdown", ShutdownArguments.class).withoutSuccessResponse();

    private final ProgramRunner runner;
    private final HostPaths paths;

    @Inject
    GuestShutdown(ProgramRunner runner, HostPaths paths) {
        this.runner = runner;
        this.paths = paths;
    }

    @Override
    public CommandSpec<ShutdownArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(ShutdownArguments arguments) throws CommandException {
        String mode = arguments.mode() == null ? "powerdown" : arguments.mode();
        LOG.fine(() -> "guest-shutdown called, mode: " + arguments.mode());
        String program;
        String flag;
        switch (mode) {
            case "powerdown" -> {
                program = "/sbin/poweroff";
                flag = "-P";
            }
            case "halt" -> {
                program = "/sbin/halt";
                flag = "-H";
            }
            case "reboot" -> {
                program = "/sbin/reboot";
                flag = "-r";
            }
            // qemu-ga's text, unbalanced parenthesis included.
            default -> throw new CommandException("mode is invalid (valid values are: halt|powerdown|reboot");
        }
        Path specific = paths.resolve(program);
        List<String> argv = Files.isExecutable(specific) ? List.of(specific.toString())
                : List.of(paths.resolve("/sbin/shutdown").toString(), "-h", flag, "+0",
                        "hypervisor initiated shutdown");
        Interrupts.call(() -> {
            RunCommand.runOrFail(runner, argv, "shutdown");
            return null;
        }, "waiting for " + argv.get(0));
        return null;
    }
}
