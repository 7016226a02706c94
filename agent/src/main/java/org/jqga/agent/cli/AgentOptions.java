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
        Set<Long> allowPeerUids, Set<Long> allowPeerCids, int socketMode, OptionalInt readyFd, boolean serialize) {

    public static final String DEFAULT_STATEDIR = "/var/run";
    public static final String DEFAULT_PIDFILE = "/var/run/qemu-ga.pid";
    public static final String DEFAULT_FSFREEZE_HOOK = "/etc/qemu/fsfreeze-hook";

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
}
