package org.jqga.agent.commands.power;

import com.google.inject.Inject;
import java.util.Locale;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.Interrupts;

/**
 * {@code guest-suspend-disk}, {@code -ram} and {@code -hybrid}, one subclass per {@link SuspendMode}: no response on
 * success (the guest sleeps), an error when it cannot.
 */
class GuestSuspend implements Command<NoArguments> {
    private final CommandSpec<NoArguments> spec;
    private final SuspendMode mode;
    private final Suspender suspender;

    GuestSuspend(SuspendMode mode, Suspender suspender) {
        this.spec = specOf(mode);
        this.mode = mode;
        this.suspender = suspender;
    }

    private static CommandSpec<NoArguments> specOf(SuspendMode mode) {
        return CommandSpec.of("guest-suspend-" + mode.name().toLowerCase(Locale.ROOT), NoArguments.class)
                .withoutSuccessResponse();
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

    static final class Disk extends GuestSuspend {
        static final CommandSpec<NoArguments> SPEC = specOf(SuspendMode.DISK);

        @Inject
        Disk(Suspender suspender) {
            super(SuspendMode.DISK, suspender);
        }
    }

    static final class Ram extends GuestSuspend {
        static final CommandSpec<NoArguments> SPEC = specOf(SuspendMode.RAM);

        @Inject
        Ram(Suspender suspender) {
            super(SuspendMode.RAM, suspender);
        }
    }

    static final class Hybrid extends GuestSuspend {
        static final CommandSpec<NoArguments> SPEC = specOf(SuspendMode.HYBRID);

        @Inject
        Hybrid(Suspender suspender) {
            super(SuspendMode.HYBRID, suspender);
        }
    }
}
