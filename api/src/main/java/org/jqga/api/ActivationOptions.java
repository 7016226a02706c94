package org.jqga.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The daemon's choices that concern activation, independent of how they were spelled on its command line.
 *
 * @param forcedProvider  {@code --activation=NAME}: skip discovery and use this provider
 * @param method          qemu-ga's {@code --method}, when given explicitly
 * @param path            qemu-ga's {@code --path}, when given explicitly
 * @param listenNames     serve only the inherited fds with these LISTEN_FDNAMES (empty: all)
 * @param idleExit        exit after this long without a client (only when a supervisor owns the sockets)
 * @param readyFd         s6-style readiness fd
 * @param retryPath       keep trying to open a device path that does not exist yet
 * @param socketMode      permission bits for socket files this process binds
 * @param allowedPeerUids if non-empty, only these uids may connect over AF_UNIX
 * @param allowedPeerCids if non-empty, only these CIDs may connect over AF_VSOCK
 */
public record ActivationOptions(Optional<String> forcedProvider, Optional<String> method, Optional<String> path,
                                List<String> listenNames, Optional<Duration> idleExit, OptionalInt readyFd,
                                boolean retryPath, int socketMode, Set<Long> allowedPeerUids,
                                Set<Long> allowedPeerCids) {
    /** Socket files the agent binds itself are private to root unless configured otherwise. */
    public static final int DEFAULT_SOCKET_MODE = 0600;

    public ActivationOptions {
        listenNames = List.copyOf(listenNames);
        allowedPeerUids = Set.copyOf(allowedPeerUids);
        allowedPeerCids = Set.copyOf(allowedPeerCids);
    }

    public static ActivationOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.forcedProvider = forcedProvider;
        b.method = method;
        b.path = path;
        b.listenNames = listenNames;
        b.idleExit = idleExit;
        b.readyFd = readyFd;
        b.retryPath = retryPath;
        b.socketMode = socketMode;
        b.allowedPeerUids = allowedPeerUids;
        b.allowedPeerCids = allowedPeerCids;
        return b;
    }

    /** Builder, because callers usually set two or three of these. */
    public static final class Builder {
        private Optional<String> forcedProvider = Optional.empty();
        private Optional<String> method = Optional.empty();
        private Optional<String> path = Optional.empty();
        private List<String> listenNames = List.of();
        private Optional<Duration> idleExit = Optional.empty();
        private OptionalInt readyFd = OptionalInt.empty();
        private boolean retryPath;
        private int socketMode = DEFAULT_SOCKET_MODE;
        private Set<Long> allowedPeerUids = Set.of();
        private Set<Long> allowedPeerCids = Set.of();

        private Builder() {
        }

        public Builder forcedProvider(String name) { this.forcedProvider = Optional.ofNullable(name); return this; }
        public Builder method(String value) { this.method = Optional.ofNullable(value); return this; }
        public Builder path(String value) { this.path = Optional.ofNullable(value); return this; }
        public Builder listenNames(List<String> names) { this.listenNames = names; return this; }
        public Builder idleExit(Duration d) { this.idleExit = Optional.ofNullable(d); return this; }
        public Builder readyFd(int fd) { this.readyFd = OptionalInt.of(fd); return this; }
        public Builder retryPath(boolean b) { this.retryPath = b; return this; }
        public Builder socketMode(int mode) { this.socketMode = mode; return this; }
        public Builder allowedPeerUids(Set<Long> uids) { this.allowedPeerUids = uids; return this; }
        public Builder allowedPeerCids(Set<Long> cids) { this.allowedPeerCids = cids; return this; }

        public ActivationOptions build() {
            return new ActivationOptions(forcedProvider, method, path, listenNames, idleExit, readyFd, retryPath,
                    socketMode, allowedPeerUids, allowedPeerCids);
        }
    }
}
