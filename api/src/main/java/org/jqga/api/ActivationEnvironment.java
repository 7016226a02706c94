package org.jqga.api;

import java.util.Map;
import java.util.Set;

/**
 * The environment variables through which a supervisor talks to this process only. A child process (guest-exec,
 * a hook script) must never see them: a child that finds {@code LISTEN_FDS} would try to adopt descriptors that
 * are not its own, and one that finds {@code NOTIFY_SOCKET} could report readiness in our name.
 *
 * <p>Providers remove them from the C environment with {@code unsetenv}, but the JVM's {@link System#getenv()} is a
 * snapshot taken before that, and a {@link ProcessBuilder} whose {@code environment()} was touched passes that
 * snapshot on. So every place that starts a process calls {@link #removeFrom} on the builder's environment.
 */
public final class ActivationEnvironment {
    /** systemd's socket activation, notification and watchdog variables. */
    public static final Set<String> VARIABLES = Set.of("LISTEN_PID", "LISTEN_PIDFDID", "LISTEN_FDS",
            "LISTEN_FDNAMES", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

    private ActivationEnvironment() {
    }

    /** Removes {@link #VARIABLES} from {@code environment}, e.g. {@code ProcessBuilder.environment()}. */
    public static void removeFrom(Map<String, String> environment) {
        environment.keySet().removeAll(VARIABLES);
    }
}
