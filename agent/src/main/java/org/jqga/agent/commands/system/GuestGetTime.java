package org.jqga.agent.commands.system;

import com.google.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;

/** CLOCK_REALTIME in nanoseconds, from a microsecond clock as qemu-ga's (the last three digits are always 0). */
final class GuestGetTime implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-time", NoArguments.class);

    private final Clock clock;

    @Inject
    GuestGetTime() {
        this(Clock.systemUTC());
    }

    GuestGetTime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + (now.getNano() / 1000) * 1000L;
    }
}
