package org.jqga.activation.systemd;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationException;
import org.jqga.api.ActivationOptions;
import org.jqga.api.Endpoint;
import org.jqga.api.ServiceNotifier;
import org.jqga.api.SysExits;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.ActivationProvider;

/**
 * systemd's {@code LISTEN_FDS} protocol, spoken by systemd itself, {@code systemd-socket-activate} and any
 * activator that imitates it. Every passed fd is proved and served (qemu-ga refuses more than one);
 * {@code --listen-name} restricts serving to the named ones. qemu-ga's {@code --method}/{@code --path} lose
 * against passed fds, as in qemu-ga, and the log says so.
 */
public final class SystemdActivationProvider implements ActivationProvider {
    /** Above inetd's and manual's: a process that was handed fds by LISTEN_PID serves those. */
    public static final int PRIORITY = 100;
    private static final System.Logger LOG = System.getLogger(SystemdActivationProvider.class.getName());
    private static final List<String> NOTIFY_VARIABLES = List.of(SystemdNotifier.NOTIFY_SOCKET,
            SystemdNotifier.WATCHDOG_USEC, SystemdNotifier.WATCHDOG_PID);

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<Activation> activate(ActivationContext ctx) throws ActivationException {
        Optional<ListenFds> passed;
        boolean served = false;
        try {
            passed = ListenFds.read(ctx.env(), ctx.pid(), ctx.firstListenFd(), new StringBuilder());
            if (passed.isEmpty()) {
                return Optional.empty();
            }
            InheritedFds inherited = new InheritedFds(ctx.posix(), ctx.transports());
            ListenFds fds = passed.get();
            try {
                inherited.requireOpen(fds);
                fds.requireMatchingNames();
                Activation activation = serve(ctx, fds, inherited);
                served = true;
                return Optional.of(activation);
            } catch (ActivationException | RuntimeException e) {
                // As sd_listen_fds(1), in every outcome: a caller that goes on after the failure starts no child
                // that inherits them.
                inherited.markCloseOnExecWhereOpen(fds).forEach(e::addSuppressed);
                throw e;
            }
        } finally {
            // As sd_listen_fds(1): in every outcome, so that no child mistakes them for its own (when served, the
            // clean-up step of serve does it).
            if (!served) {
                unsetAll(ctx, ListenFds.VARIABLES);
            }
        }
    }

    /** {@code NOTIFY_SOCKET} (and the watchdog) of a {@code Type=notify} unit that passed no sockets. */
    @Override
    public Optional<ServiceNotifier> supervisorNotifier(ActivationContext ctx) throws ActivationException {
        Optional<ServiceNotifier> notifier;
        try {
            notifier = SystemdNotifier.fromEnvironment(ctx.env(), ctx.pid()).map(ServiceNotifier.class::cast);
        } catch (ActivationException | RuntimeException e) {
            unsetAll(ctx, NOTIFY_VARIABLES);
            throw e;
        }
        ctx.inheritanceCleanup().apply(() -> unsetAll(ctx, NOTIFY_VARIABLES));
        return notifier;
    }

    private Activation serve(ActivationContext ctx, ListenFds fds, InheritedFds inherited)
            throws ActivationException {
        ActivationOptions options = ctx.options();
        List<Integer> selected = select(fds, options.listenNames());
        List<Integer> unserved = new ArrayList<>();
        for (int fd = fds.firstFd(); fd <= fds.lastFd(); fd++) {
            if (!selected.contains(fd)) {
                unserved.add(fd);
            }
        }
        List<SocketInfo> proved = new ArrayList<>();
        for (int fd : selected) {
            proved.add(inherited.prove(fds, fd));
        }
        Optional<SystemdNotifier> notifier = Optional.empty();
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            notifier = SystemdNotifier.fromEnvironment(ctx.env(), ctx.pid());
            for (SocketInfo info : proved) {
                endpoints.add(inherited.adopt(fds, info, endpointName(fds, info)));
            }
            // The first calls that need libc (proving reads /proc), so the daemon may defer them until its first
            // client has been answered (InheritanceCleanup). The fds not served are closed below.
            ctx.inheritanceCleanup().apply(() -> {
                inherited.markCloseOnExec(fds, selected);
                unsetAll(ctx, NOTIFY_VARIABLES);
                unsetAll(ctx, ListenFds.VARIABLES);
            });
        } catch (ActivationException | RuntimeException e) {
            endpoints.forEach(Endpoint::close);
            notifier.ifPresent(SystemdNotifier::close);
            unsetAll(ctx, NOTIFY_VARIABLES); // at once: the failure is final, nobody runs a deferred step
            throw e;
        }
        for (String problem : inherited.release(unserved)) {
            LOG.log(System.Logger.Level.WARNING, "releasing an fd that is not served: " + problem);
        }
        if (!unserved.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "not serving " + unserved.stream()
                    .map(fd -> InheritedFds.label(fds, fd)).collect(Collectors.joining(", "))
                    + ": --listen-name selects " + String.join(", ", options.listenNames()));
        }
        if (options.method().isPresent() || options.path().isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "socket activation wins: serving the " + fds.count()
                    + " fd(s) passed by LISTEN_FDS and ignoring " + methodAndPath(options)
                    + " (qemu-ga's rule; use --activation=manual to bind that channel instead)");
        }
        return new SystemdActivation(endpoints, notifier);
    }

    /** The fds to serve: all, or those whose LISTEN_FDNAMES entry is one of {@code wanted}. */
    private static List<Integer> select(ListenFds fds, List<String> wanted) throws ActivationException {
        List<Integer> selected = new ArrayList<>();
        Set<String> unmatched = new LinkedHashSet<>(wanted);
        for (int fd = fds.firstFd(); fd <= fds.lastFd(); fd++) {
            String name = fds.nameOf(fd);
            if (wanted.isEmpty() || wanted.contains(name)) {
                selected.add(fd);
                unmatched.remove(name);
            }
        }
        if (!unmatched.isEmpty()) {
            throw new ActivationException(SysExits.EX_USAGE, unmatched.stream().map(n -> "--listen-name=" + n)
                    .collect(Collectors.joining(" ")) + ": no passed fd has that name (LISTEN_FDNAMES"
                    + (fds.named() ? "=" + String.join(":", fds.names()) : " is not set, so every fd is \"unknown\"")
                    + ")");
        }
        return selected;
    }

    /**
     * The supervisor's name when it gave one, otherwise the socket's own address: {@code unknown} tells a reader
     * of the status line nothing.
     */
    private static String endpointName(ListenFds fds, SocketInfo info) {
        String name = fds.nameOf(info.fd());
        if (fds.named() && !name.isEmpty() && !name.equals(ListenFds.UNKNOWN)) {
            return name;
        }
        return info.localAddress().isEmpty() ? "fd " + info.fd() : info.localAddress();
    }

    private static String methodAndPath(ActivationOptions options) {
        List<String> given = new ArrayList<>();
        options.method().ifPresent(m -> given.add("--method=" + m));
        options.path().ifPresent(p -> given.add("--path=" + p));
        return String.join(" ", given);
    }

    private static void unsetAll(ActivationContext ctx, List<String> names) {
        for (String name : names) {
            if (ctx.env().containsKey(name)) {
                try {
                    ctx.posix().unsetenv(name);
                } catch (PosixException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove " + name + " from the environment: "
                            + e.getMessage());
                }
            }
        }
    }

    @Override
    public String explain(ActivationContext ctx) {
        StringBuilder whyNot = new StringBuilder();
        Optional<ListenFds> passed;
        try {
            passed = ListenFds.read(ctx.env(), ctx.pid(), ctx.firstListenFd(), whyNot);
        } catch (ActivationException e) {
            return "would fail: " + e.getMessage();
        }
        if (passed.isEmpty()) {
            return "not active: " + whyNot;
        }
        ListenFds fds = passed.get();
        StringBuilder line = new StringBuilder("LISTEN_PID=" + fds.pid() + " is this process; LISTEN_FDS="
                + fds.count() + " (fds " + fds.firstFd() + ".." + fds.lastFd() + ")"
                + (fds.named() ? " LISTEN_FDNAMES=" + String.join(":", fds.names()) : ""));
        try {
            fds.requireMatchingNames();
            List<Integer> selected = select(fds, ctx.options().listenNames());
            InheritedFds inherited = new InheritedFds(ctx.posix(), ctx.transports());
            for (int fd = fds.firstFd(); fd <= fds.lastFd(); fd++) {
                if (!selected.contains(fd)) {
                    line.append("; ").append(InheritedFds.label(fds, fd)).append(": not selected by --listen-name");
                    continue;
                }
                SocketInfo info = inherited.prove(fds, fd);
                String transport = ctx.transports().forFamily(info.family()).map(t -> t.name() + " transport")
                        .orElse("NO transport for " + info.family().cName() + " installed");
                line.append("; would serve ").append(InheritedFds.label(fds, fd)).append(": ")
                        .append(info.describe()).append(" via ").append(transport);
            }
            Optional<SystemdNotifier> notifier = SystemdNotifier.fromEnvironment(ctx.env(), ctx.pid());
            line.append("; notify: ").append(notifier.map(SystemdNotifier::toString).orElse("no NOTIFY_SOCKET"));
            notifier.ifPresent(SystemdNotifier::close);
        } catch (ActivationException e) {
            line.append("; would fail: ").append(e.getMessage());
        }
        if (ctx.options().method().isPresent() || ctx.options().path().isPresent()) {
            line.append("; ").append(methodAndPath(ctx.options())).append(" would be ignored (qemu-ga's rule)");
        }
        return line.toString();
    }

    /** The activation: endpoints to serve, a notifier if NOTIFY_SOCKET was set; the sockets are systemd's. */
    private static final class SystemdActivation implements Activation {
        private final List<Endpoint> endpoints;
        private final Optional<SystemdNotifier> notifier;

        SystemdActivation(List<Endpoint> endpoints, Optional<SystemdNotifier> notifier) {
            this.endpoints = List.copyOf(endpoints);
            this.notifier = notifier;
        }

        @Override
        public String providerName() {
            return "systemd";
        }

        @Override
        public List<Endpoint> endpoints() {
            return endpoints;
        }

        @Override
        public ServiceNotifier notifier() {
            return notifier.<ServiceNotifier>map(n -> n).orElse(ServiceNotifier.NONE);
        }

        @Override
        public boolean ownsSockets() {
            return false;
        }

        @Override
        public void close() {
            endpoints.forEach(Endpoint::close);
            notifier.ifPresent(SystemdNotifier::close);
        }

        @Override
        public String toString() {
            return "systemd " + endpoints;
        }
    }
}
