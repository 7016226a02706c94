package org.jqga.agent.cli;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code --dump-conf}: the effective configuration as a key file, byte for byte what qemu-ga 9.1+ prints for the
 * same configuration ({@code g_key_file_to_data} of group {@code [general]}: daemon, method, path if set, logfile
 * if set, pidfile, fsfreeze-hook if set, statedir, verbose, retry-path, block-rpcs, allow-rpcs). jqga's own keys
 * follow, each only when it differs from its default, so the dump of a qemu-ga configuration stays identical to
 * qemu-ga's. Reading the dump back gives the same configuration.
 */
public final class ConfigDump {
    private ConfigDump() {
    }

    /** No path was given for a method that has no default path. */
    public static final class MissingPathException extends Exception {
        MissingPathException() {
            super("must specify a path for this channel");
        }
    }

    /**
     * @param activatedMethod the method socket activation implies ({@code unix-listen}/{@code vsock-listen}); as in
     *                        qemu-ga it replaces the configured method and drops the configured path
     */
    public static String render(AgentOptions o, Optional<String> activatedMethod) throws MissingPathException {
        String method;
        Optional<String> path;
        if (activatedMethod.isPresent()) {
            method = activatedMethod.get();
            path = Optional.empty();
        } else {
            method = o.effectiveMethod();
            path = Optional.of(o.path().or(() -> AgentOptions.defaultPath(method))
                    .orElseThrow(MissingPathException::new));
        }
        StringBuilder sb = new StringBuilder("[general]\n");
        line(sb, "daemon", Boolean.toString(o.daemonize()));
        line(sb, "method", method);
        path.ifPresent(p -> line(sb, "path", p));
        o.logfile().ifPresent(l -> line(sb, "logfile", l));
        line(sb, "pidfile", o.effectivePidfile());
        o.fsfreezeHook().ifPresent(h -> line(sb, "fsfreeze-hook", h));
        line(sb, "statedir", o.statedir());
        line(sb, "verbose", Boolean.toString(o.verbose()));
        line(sb, "retry-path", Boolean.toString(o.retryPath()));
        line(sb, "block-rpcs", String.join(",", o.blockRpcs()));
        line(sb, "allow-rpcs", String.join(",", o.allowRpcs()));

        o.activation().ifPresent(a -> line(sb, "activation", a));
        if (!o.listenNames().isEmpty()) {
            line(sb, "listen-name", String.join(",", o.listenNames()));
        }
        o.idleExit().ifPresent(d -> line(sb, "idle-exit", Long.toString(d.toSeconds())));
        if (!o.allowPeerUids().isEmpty()) {
            line(sb, "allow-peer-uid", joinNumbers(o.allowPeerUids()));
        }
        if (!o.allowPeerCids().isEmpty()) {
            line(sb, "allow-peer-cid", joinNumbers(o.allowPeerCids()));
        }
        if (o.socketMode() != org.jqga.api.ActivationOptions.DEFAULT_SOCKET_MODE) {
            line(sb, "socket-mode", String.format("%04o", o.socketMode()));
        }
        o.readyFd().ifPresent(fd -> line(sb, "ready-fd", Integer.toString(fd)));
        if (o.serialize()) {
            line(sb, "serialize", "true");
        }
        Limits l = o.limits();
        Limits d = Limits.DEFAULTS;
        if (l.maxMessageBytes() != d.maxMessageBytes()) {
            line(sb, "max-message-size", Long.toString(l.maxMessageBytes()));
        }
        if (l.maxNesting() != d.maxNesting()) {
            line(sb, "max-nesting", Integer.toString(l.maxNesting()));
        }
        if (l.maxFileHandles() != d.maxFileHandles()) {
            line(sb, "max-file-handles", Integer.toString(l.maxFileHandles()));
        }
        if (l.maxSessions() != d.maxSessions()) {
            line(sb, "max-sessions", Integer.toString(l.maxSessions()));
        }
        if (l.maxExecProcesses() != d.maxExecProcesses()) {
            line(sb, "max-exec-processes", Integer.toString(l.maxExecProcesses()));
        }
        if (l.maxExecOutput() != d.maxExecOutput()) {
            line(sb, "max-exec-output", Long.toString(l.maxExecOutput()));
        }
        return sb.toString();
    }

    private static String joinNumbers(Collection<Long> numbers) {
        return numbers.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(KeyFile.escape(value)).append('\n');
    }
}
