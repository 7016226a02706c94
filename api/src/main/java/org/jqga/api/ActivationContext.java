package org.jqga.api;

import java.util.Map;
import java.util.Objects;
import org.jqga.api.posix.Posix;

/**
 * Everything a provider may look at. The environment is passed in (not read from {@link System#getenv()}) so
 * tests can hand a provider any environment; {@code firstListenFd} is a parameter for the same reason: a JVM
 * cannot give a child process fd 3, so unit tests pass sockets they opened themselves.
 *
 * @param env           the process environment at start-up
 * @param pid           this process's id
 * @param posix         native fd inspection
 * @param options       the command-line / configuration choices that concern activation
 * @param transports    the installed transports (AF_UNIX is always present)
 * @param firstListenFd the first fd of the LISTEN_FDS protocol, 3 outside tests
 * @param inheritanceCleanup when the provider marks served fds close-on-exec and removes the supervisor's
 *                      variables from the C environment ({@link InheritanceCleanup#immediate()} unless the daemon
 *                      says otherwise)
 */
public record ActivationContext(Map<String, String> env, long pid, Posix posix, ActivationOptions options,
                                Transports transports, int firstListenFd, InheritanceCleanup inheritanceCleanup) {
    /** {@code SD_LISTEN_FDS_START}. */
    public static final int LISTEN_FDS_START = 3;

    public ActivationContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(posix, "posix");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(inheritanceCleanup, "inheritanceCleanup");
    }

    public ActivationContext(Map<String, String> env, long pid, Posix posix, ActivationOptions options,
                             Transports transports, int firstListenFd) {
        this(env, pid, posix, options, transports, firstListenFd, InheritanceCleanup.immediate());
    }

    public ActivationContext(Map<String, String> env, long pid, Posix posix, ActivationOptions options,
                             Transports transports) {
        this(env, pid, posix, options, transports, LISTEN_FDS_START);
    }
}
