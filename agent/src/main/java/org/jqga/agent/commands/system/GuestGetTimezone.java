package org.jqga.agent.commands.system;

import com.google.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/** The local zone's current UTC offset (seconds east) and abbreviation ({@code UTC}, {@code CEST}, {@code +03}). */
final class GuestGetTimezone implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-timezone", NoArguments.class);

    /** {@code GuestTimezone}. */
    record Timezone(String zone, long offset) {
    }

    private final SystemRoot root;
    private final Clock clock;
    private final Function<String, String> env;

    @Inject
    GuestGetTimezone(SystemRoot root) {
        this(root, Clock.systemUTC(), System::getenv);
    }

    GuestGetTimezone(SystemRoot root, Clock clock, Function<String, String> env) {
        this.root = root;
        this.clock = clock;
        this.env = env;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) {
        long now = clock.instant().getEpochSecond();
        LocalZone.Interval i = current(now);
        return new Timezone(i.abbreviation(), i.offset());
    }

    private LocalZone.Interval current(long now) {
        String tz = env.apply("TZ");
        if (tz == null) {
            return tzif("/etc/localtime", now).orElse(LocalZone.UTC);
        }
        String id = tz.startsWith(":") ? tz.substring(1) : tz;
        String dir = Optional.ofNullable(env.apply("TZDIR")).orElse("/usr/share/zoneinfo");
        String file = id.startsWith("/") ? id : dir + "/" + id;
        if (!id.isEmpty()) {
            Optional<LocalZone.Interval> fromFile = tzif(file, now);
            if (fromFile.isPresent()) {
                return fromFile.get();
            }
        }
        return LocalZone.fromRule(id, now).orElse(LocalZone.UTC);
    }

    private Optional<LocalZone.Interval> tzif(String path, long now) {
        try {
            return LocalZone.fromTzif(root.readBytes(path), now);
        } catch (FileFailure e) {
            return Optional.empty();
        }
    }
}
