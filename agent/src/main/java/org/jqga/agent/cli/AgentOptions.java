package org.jqga.agent.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jqga.api.ActivationOptions;

/**
 * The effective configuration. Field names follow qemu-ga's long options.
 */
public record AgentOptions(
        Optional<String> config, Optional<String> method, Optional<String> path, Optional<String> logfile,
        Optional<String> pidfile, Optional<String> fsfreezeHook, String statedir, boolean verbose,
        boolean version, boolean daemonize, List<String> blockRpcs, List<String> allowRpcs, boolean dumpConf,
        boolean retryPath, boolean help, boolean listRpcs,
        // jqga's own
        Optional<String> activation, boolean explainActivation, List<String> listenNames, Optional<Duration> idleExit,
        Set<Long> allowPeerUids, Set<Long> allowPeerCids, int socketMode, OptionalInt readyFd, boolean serialize,
        Limits limits) {

    public static final String DEFAULT_STATEDIR = "/var/run";
    public static final String DEFAULT_PIDFILE = "/var/run/qemu-ga.pid";
    public static final String DEFAULT_FSFREEZE_HOOK = "/etc/qemu/fsfreeze-hook";
    public static final String DEFAULT_METHOD = "virtio-serial";
    public static final String DEFAULT_VIRTIO_SERIAL_PATH = "/dev/virtio-ports/org.qemu.guest_agent.0";
    public static final String DEFAULT_ISA_SERIAL_PATH = "/dev/ttyS0";

    public AgentOptions {
        blockRpcs = List.copyOf(blockRpcs);
        allowRpcs = List.copyOf(allowRpcs);
        listenNames = List.copyOf(listenNames);
        allowPeerUids = Set.copyOf(allowPeerUids);
        allowPeerCids = Set.copyOf(allowPeerCids);
    }

    /** What the activation providers need to know. */
    public ActivationOptions activationOptions() {
        ActivationOptions.Builder b = ActivationOptions.builder()
                .forcedProvider(activation.orElse(null))
                .method(method.orElse(null))
                .path(path.orElse(null))
                .listenNames(listenNames)
                .idleExit(idleExit.orElse(null))
                .retryPath(retryPath)
                .socketMode(socketMode)
                .allowedPeerUids(allowPeerUids)
                .allowedPeerCids(allowPeerCids);
        readyFd.ifPresent(b::readyFd);
        return b.build();
    }

    /** The method qemu-ga would use: the configured one or {@code virtio-serial}. */
    public String effectiveMethod() {
        return method.orElse(DEFAULT_METHOD);
    }

    /** qemu-ga's default channel path for {@code method}; none for the listening methods. */
    public static Optional<String> defaultPath(String method) {
        switch (method) {
            case "virtio-serial":
                return Optional.of(DEFAULT_VIRTIO_SERIAL_PATH);
            case "isa-serial":
                return Optional.of(DEFAULT_ISA_SERIAL_PATH);
            default:
                return Optional.empty();
        }
    }

    /** The configured pidfile or qemu-ga's default (what {@code --dump-conf} shows and a daemon writes). */
    public String effectivePidfile() {
        return pidfile.orElse(DEFAULT_PIDFILE);
    }

    /**
     * The pidfile this agent writes: with {@code --daemonize} the configured or default one, as qemu-ga; in the
     * foreground only one that was configured (qemu-ga writes none there; jqga does, so that a supervisor or a
     * second agent can rely on it, but never claims the default path unasked).
     */
    public Optional<String> pidfileToWrite() {
        return daemonize ? Optional.of(effectivePidfile()) : pidfile;
    }
}
