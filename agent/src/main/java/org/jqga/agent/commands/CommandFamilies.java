package org.jqga.agent.commands;

import java.util.List;
import org.jqga.agent.commands.clock.ClockCommandsModule;
import org.jqga.agent.commands.cpu.CpuCommandsModule;
import org.jqga.agent.commands.disk.DiskCommandsModule;
import org.jqga.agent.commands.exec.ExecCommandsModule;
import org.jqga.agent.commands.file.FileCommandsModule;
import org.jqga.agent.commands.fs.FsfreezeStatusModule;
import org.jqga.agent.commands.fsfreeze.FreezeThawCommandsModule;
import org.jqga.agent.commands.fstrim.FstrimCommandsModule;
import org.jqga.agent.commands.hardware.HardwareCommandsModule;
import org.jqga.agent.commands.info.InfoCommandsModule;
import org.jqga.agent.commands.memory.MemoryCommandsModule;
import org.jqga.agent.commands.net.NetworkCommandsModule;
import org.jqga.agent.commands.password.PasswordCommandsModule;
import org.jqga.agent.commands.power.PowerCommandsModule;
import org.jqga.agent.commands.ssh.SshCommandsModule;
import org.jqga.agent.commands.system.SystemCommandsModule;
import org.jqga.agent.dispatch.CommandFamily;

/** Every command family of the Linux command set: the one list of what the agent can do. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    /** New family modules (each family's injector is made on first use, so each agent gets its own). */
    public static List<CommandFamily> all() {
        return List.of(new InfoCommandsModule(), new SystemCommandsModule(), new CpuCommandsModule(),
                new MemoryCommandsModule(), new NetworkCommandsModule(), new DiskCommandsModule(),
                new FsfreezeStatusModule(), new FileCommandsModule(), new ExecCommandsModule(),
                new SshCommandsModule(), new PasswordCommandsModule(), new FreezeThawCommandsModule(),
                new FstrimCommandsModule(), new PowerCommandsModule(), new ClockCommandsModule(),
                new HardwareCommandsModule());
    }
}
