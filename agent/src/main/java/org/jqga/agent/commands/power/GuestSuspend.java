package org.jqga.agent.commands.power;

import java.util.Locale;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.Interrupts;

/**
 * {@code guest-suspend-disk}, {@code -ram} and {@code -hybrid}, one instance per {@link SuspendMode}: no response on
 * success (the guest sleeps), an error when it cannot.
 */
final class GuestSuspend implements Command<NoArguments> {
    private final CommandSpec<NoArguments> spec;
    private final SuspendMode mode;
    private final Suspender suspender;

    GuestSuspend(SuspendMode mode, Suspender suspender) {
        this.spec = CommandSpec.of("guest-suspend-" + mode.name().toLowerCase(Locale.ROOT), NoArguments.class)
                .withoutSuccessResponse();
        this.mode = mode;
        this.suspender = suspender;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return spec;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        return Interrupts.call(() -> {
            suspender.suspend(mode);
            return null;
        }, "suspending");
    }
}
