package org.jqga.agent.commands.info;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.dispatch.QgaSchema;

/** The agent's version and every registered command, newest schema entry first, as qemu-ga lists them. */
final class GuestInfo implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-info", NoArguments.class).frozenSafe();

    /** {@code GuestAgentCommandInfo}. */
    record CommandInfo(String name, boolean enabled, @SerializedName("success-response") boolean successResponse) {
    }

    /** {@code GuestAgentInfo}. */
    record AgentInfo(String version, @SerializedName("supported_commands") List<CommandInfo> supportedCommands) {
    }

    private final CommandRegistry registry;
    private final CommandPolicy policy;

    @Inject
    GuestInfo(CommandRegistry registry, CommandPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) {
        List<CommandInfo> list = new ArrayList<>();
        // Specs only: listing the commands makes none of them.
        for (CommandRegistry.Entry<?> c : registry.all()) {
            CommandSpec<?> s = c.spec();
            list.add(new CommandInfo(s.name(), policy.enabled(s), s.successResponse()));
        }
        Collections.reverse(list);
        return new AgentInfo(QgaSchema.QEMU_VERSION, list);
    }
}
