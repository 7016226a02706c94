package org.jqga.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.commands.fsfreeze.FilesystemFreezer;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.CommandFamily;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.linux.LinuxModule;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.agent.server.BackgroundWorks;
import org.jqga.agent.server.HeapShrink;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;

/**
 * The transport-neutral agent: configuration, dispatcher, the seams to the host, and the command registry. The
 * command families are not installed here, but for the {@linkplain CommandFamily#resident() resident} ones: each
 * gets a child injector of this one when its first command is called (see {@link CommandRegistry}). Only binds.
 */
public final class AgentModule extends AbstractModule {
    private final AgentOptions options;
    private final Posix posix;
    private final FrozenState frozen;
    private final List<CommandFamily> families;

    /**
     * @param posix    the one libc binding of the process, shared with the activation (it binds libc lazily, so
     *                 nothing here waits for that before a command needs it)
     * @param frozen   made before the injector, because logging needs it from the start
     * @param families every command family the agent offers
     */
    public AgentModule(AgentOptions options, Posix posix, FrozenState frozen,
                       List<CommandFamily> families) {
        this.options = options;
        this.posix = posix;
        this.frozen = frozen;
        this.families = List.copyOf(families);
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(AgentOptions.class).toInstance(options);
        bind(FrozenState.class).toInstance(frozen);
        bind(Posix.class).toInstance(posix);
        bind(FramerLimits.class).toInstance(new FramerLimits(options.limits().maxMessageBytes(),
                FramerLimits.QEMU.maxTokens(), options.limits().maxNesting()));
        // Shared by every session's framer: large requests together stay within half the heap, which is given back
        // once they are done.
        bind(MessageBudget.class).toInstance(MessageBudget.forHeap(Runtime.getRuntime().maxMemory(),
                new HeapShrink()::request));
        bind(ArgumentBinder.class).in(Singleton.class);
        bind(Dispatcher.class).in(Singleton.class);
        bind(BackgroundWorks.class).in(Singleton.class);
        bind(SystemRoot.class).toInstance(SystemRoot.host());
        // Here rather than in its family: the agent thaws through it on exit, whichever command froze.
        bind(FilesystemFreezer.class).in(Singleton.class);
        install(new LinuxModule());
        for (CommandFamily f : families) {
            if (f.resident()) {
                install(f);
            }
        }
    }

    @Provides
    @Singleton
    CommandRegistry commandRegistry(Injector agent) {
        return new CommandRegistry(families, agent);
    }

    /** Made when the first command that calls into libc is (file, exec, ssh, password): not for a ping. */
    @Provides
    @Singleton
    Libc libc() {
        return Libc.load();
    }

    @Provides
    @Singleton
    CommandPolicy commandPolicy(AgentOptions options, FrozenState frozen) {
        Set<String> allow = new HashSet<>(options.allowRpcs());
        Set<String> block = new HashSet<>(options.blockRpcs());
        return new CommandPolicy(allow, block, frozen::isFrozen);
    }
}
