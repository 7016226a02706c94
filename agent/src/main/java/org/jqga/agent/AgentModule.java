package org.jqga.agent;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import java.util.HashSet;
import java.util.Set;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.commands.cpu.CpuCommandsModule;
import org.jqga.agent.commands.disk.DiskCommandsModule;
import org.jqga.agent.commands.fs.FsfreezeStatusModule;
import org.jqga.agent.commands.info.InfoCommandsModule;
import org.jqga.agent.commands.memory.MemoryCommandsModule;
import org.jqga.agent.commands.net.NetworkCommandsModule;
import org.jqga.agent.commands.system.SystemCommandsModule;
import org.jqga.agent.commands.exec.ExecCommandsModule;
import org.jqga.agent.commands.file.FileCommandsModule;
import org.jqga.agent.commands.password.PasswordCommandsModule;
import org.jqga.agent.commands.ssh.SshCommandsModule;
import org.jqga.agent.commands.clock.ClockCommandsModule;
import org.jqga.agent.commands.fsfreeze.FreezeThawCommandsModule;
import org.jqga.agent.commands.fstrim.FstrimCommandsModule;
import org.jqga.agent.commands.hardware.HardwareCommandsModule;
import org.jqga.agent.commands.power.PowerCommandsModule;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.linux.LinuxModule;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.agent.linux.LazyNative;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.agent.server.BackgroundWork;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;

/** The transport-neutral agent: configuration, dispatcher, commands, server. Only binds. */
public final class AgentModule extends AbstractModule {
    private final AgentOptions options;

    public AgentModule(AgentOptions options) {
        this.options = options;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        bind(AgentOptions.class).toInstance(options);
        bind(FramerLimits.class).toInstance(new FramerLimits(options.limits().maxMessageBytes(),
                FramerLimits.QEMU.maxTokens(), options.limits().maxNesting()));
        // Shared by every session's framer: large requests together stay within half the heap.
        bind(MessageBudget.class).toInstance(MessageBudget.forHeap(Runtime.getRuntime().maxMemory()));
        bind(FrozenState.class).in(Singleton.class);
        bind(ArgumentBinder.class).in(Singleton.class);
        bind(CommandRegistry.class).in(Singleton.class);
        bind(Dispatcher.class).in(Singleton.class);
        install(new InfoCommandsModule());
        bind(SystemRoot.class).toInstance(SystemRoot.host());
        bind(Posix.class).toInstance(LazyNative.of(Posix.class, Posix::load));
        install(new SystemCommandsModule());
        install(new CpuCommandsModule());
        install(new MemoryCommandsModule());
        install(new NetworkCommandsModule());
        install(new DiskCommandsModule());
        install(new FsfreezeStatusModule());
        // Command families that run work outliving a session (guest-exec children) add to this set.
        Multibinder.newSetBinder(binder(), BackgroundWork.class);
        install(new FileCommandsModule());
        install(new ExecCommandsModule());
        install(new SshCommandsModule());
        install(new PasswordCommandsModule());
        install(new LinuxModule());
        install(new FreezeThawCommandsModule());
        install(new FstrimCommandsModule());
        install(new PowerCommandsModule());
        install(new ClockCommandsModule());
        install(new HardwareCommandsModule());
    }

    @Provides
    @Singleton
    Gson gson() {
        return new GsonBuilder().disableHtmlEscaping().create();
    }

    @Provides
    @Singleton
    Libc libc() {
        return LazyNative.of(Libc.class, Libc::load);
    }

    @Provides
    @Singleton
    CommandPolicy commandPolicy(AgentOptions options, FrozenState frozen) {
        Set<String> allow = new HashSet<>(options.allowRpcs());
        Set<String> block = new HashSet<>(options.blockRpcs());
        return new CommandPolicy(allow, block, frozen::isFrozen);
    }
}
