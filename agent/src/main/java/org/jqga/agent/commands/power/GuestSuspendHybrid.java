package org.jqga.agent.commands.power;

import com.google.inject.Inject;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.Interrupts;

/** {@code guest-suspend-hybrid}: no response on success (the guest sleeps), an error when it cannot. */
final class GuestSuspendHybrid implements Command<NoArguments> {
    private static final CommandSpec<NoArguments> SPEC =
            CommandSpec.of("guest-suspend-hybrid", NoArguments.class).withoutSuccessResponse();

    private final Suspender suspender;

    @Inject
    GuestSuspendHybrid(Suspender suspender) {
        this.suspender = suspender;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        return Interrupts.call(() -> {
            suspender.suspend(SuspendMode.HYBRID);
            return null;
        }, "suspending");
    }
}
