package org.jqga.api;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jqga.api.spi.ActivationProvider;

/**
 * Chooses how this process was activated. Providers are asked in priority order (systemd, inetd, manual); the
 * first that proves its endpoints wins. {@code --activation=NAME} skips the others.
 */
public final class Activations {
    private static final System.Logger LOG = System.getLogger(Activations.class.getName());
    private final List<ActivationProvider> providers;

    public Activations(List<ActivationProvider> providers) {
        List<ActivationProvider> sorted = new ArrayList<>(providers);
        // One comparison written out, not Comparator.comparingInt(...).reversed().thenComparing(...): each of those
        // combinators is a lambda inside java.util.Comparator that JDK 25's AOT cache does not keep, so every start spun
        // its classes at run time before the first reply.
        sorted.sort((a, b) -> a.priority() != b.priority() ? Integer.compare(b.priority(), a.priority())
                : a.name().compareTo(b.name()));
        this.providers = List.copyOf(sorted);
    }

    /** Loads every provider on the class path; each on its own, so one broken jar names itself and hides nothing. */
    public static Activations load() {
        List<ActivationProvider> found = new ArrayList<>();
        ServiceLoader.load(ActivationProvider.class).stream().forEach(p -> {
            try {
                found.add(p.get());
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING,
                        "activation provider " + p.type().getName() + " could not be loaded: " + e.getMessage());
            }
        });
        return new Activations(found);
    }

    /** In the order they are asked. */
    public List<ActivationProvider> providers() {
        return providers;
    }

    /**
     * The first provider's activation, or the forced provider's, with {@code --allow-peer-uid}/{@code --allow-peer-cid}
     * applied to its endpoints and {@code --ready-fd} and the other providers' supervisor notifiers (systemd's
     * {@code NOTIFY_SOCKET} for a {@code Type=notify} unit without sockets) added to its notifiers.
     */
    public Activation select(ActivationContext ctx) throws ActivationException {
        return PeerAccess.of(ctx.options()).restrict(choose(ctx));
    }

    private Activation choose(ActivationContext ctx) throws ActivationException {
        Optional<Activation> found = firstApplying(ctx, providers, readiness(ctx));
        if (found.isEmpty()) {
            throw new ActivationException(SysExits.EX_CONFIG, "no activation provider applies ("
                    + providers.stream().map(p -> p.name() + ": " + p.explain(ctx)).collect(Collectors.joining("; "))
                    + ")");
        }
        return found.get();
    }

    /**
     * What {@link #selectIfAny} found: the winning activation, whose notifier tells every supervisor; or, when no
     * provider applied, no activation and the notifiers of the supervisors that still want to hear from the daemon
     * (s6's readiness fd, systemd's {@code NOTIFY_SOCKET} for a {@code Type=notify} unit that passed no sockets).
     */
    static final class Selection implements AutoCloseable {
        private final Optional<Activation> activation;
        private final List<ServiceNotifier> supervisorsOnly;

        private Selection(Optional<Activation> activation, List<ServiceNotifier> supervisorsOnly) {
            this.activation = activation;
            this.supervisorsOnly = List.copyOf(supervisorsOnly);
        }

        Optional<Activation> activation() {
            return activation;
        }

        ServiceNotifier notifier() {
            return activation.map(Activation::notifier).orElseGet(() -> ServiceNotifier.all(supervisorsOnly));
        }

        /** Closes the activation (its endpoints and notifiers), or the notifiers alone. Never throws. */
        @Override
        public void close() {
            activation.ifPresent(Activation::close);
            supervisorsOnly.forEach(Activations::closeNotifier);
        }
    }

    /**
     * {@link #select} without {@code --allow-peer-*} and without failing when no provider applies: for a daemon
     * that binds its own sockets then ({@link InheritedSockets}), which asks only the providers in {@code asked}.
     */
    Selection selectIfAny(ActivationContext ctx, List<ActivationProvider> asked) throws ActivationException {
        Optional<ServiceNotifier> readiness = readiness(ctx);
        Optional<Activation> found = firstApplying(ctx, asked, readiness);
        if (found.isPresent()) {
            return new Selection(found, List.of());
        }
        List<ServiceNotifier> notifiers = new ArrayList<>();
        readiness.ifPresent(notifiers::add);
        try {
            for (ActivationProvider p : providers) {
                p.supervisorNotifier(ctx).ifPresent(notifiers::add);
            }
        } catch (ActivationException | RuntimeException e) {
            notifiers.forEach(Activations::closeNotifier);
            throw e;
        }
        return new Selection(Optional.empty(), notifiers);
    }

    /**
     * The forced provider's activation, or the first of {@code asked} that applies, with {@code readiness} and the
     * other providers' supervisor notifiers added; empty when none applies.
     */
    private Optional<Activation> firstApplying(ActivationContext ctx, List<ActivationProvider> asked,
                                               Optional<ServiceNotifier> readiness) throws ActivationException {
        Optional<String> forced = ctx.options().forcedProvider();
        if (forced.isPresent()) {
            ActivationProvider p = asked.stream().filter(x -> x.name().equals(forced.get())).findFirst()
                    .orElseThrow(() -> new ActivationException(SysExits.EX_USAGE, "--activation=" + forced.get()
                            + ": no such activation provider is installed (installed: " + names() + ")"));
            Activation a = p.activate(ctx).orElseThrow(() -> new ActivationException(SysExits.EX_CONFIG,
                    "--activation=" + p.name() + " was requested, but " + p.explain(ctx)));
            return Optional.of(withNotifiers(a, extraNotifiers(ctx, p, a, readiness)));
        }
        for (ActivationProvider p : asked) {
            Optional<Activation> a = p.activate(ctx);
            if (a.isPresent()) {
                return Optional.of(withNotifiers(a.get(), extraNotifiers(ctx, p, a.get(), readiness)));
            }
        }
        return Optional.empty();
    }

    /** {@code --ready-fd}, then what the other providers' supervisors take (systemd's NOTIFY_SOCKET). */
    private List<ServiceNotifier> extraNotifiers(ActivationContext ctx, ActivationProvider winner,
                                                 Activation activation, Optional<ServiceNotifier> readiness)
            throws ActivationException {
        List<ServiceNotifier> extra = new ArrayList<>();
        readiness.ifPresent(extra::add);
        try {
            for (ActivationProvider p : providers) {
                if (p != winner) {
                    p.supervisorNotifier(ctx).ifPresent(extra::add);
                }
            }
        } catch (ActivationException | RuntimeException e) {
            extra.forEach(Activations::closeNotifier);
            activation.close();
            throw e;
        }
        return extra;
    }

    private static void closeNotifier(ServiceNotifier notifier) {
        if (notifier instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.getLogger(Activations.class.getName()).log(Level.WARNING,
                        "cannot close " + notifier + ": " + e.getMessage());
            }
        }
    }

    /** One line per provider, in the order they are asked: {@code name (priority N): verdict}. */
    public List<String> explain(ActivationContext ctx) {
        return explain(ctx, providers);
    }

    /** {@link #explain(ActivationContext)} when only {@code asked} are asked; the others are named as such. */
    List<String> explain(ActivationContext ctx, List<ActivationProvider> asked) {
        List<String> lines = new ArrayList<>();
        for (ActivationProvider p : providers) {
            String verdict;
            try {
                verdict = asked.contains(p) ? p.explain(ctx)
                        : "not asked: it makes its endpoints itself rather than finding what a supervisor passed";
            } catch (RuntimeException e) {
                verdict = "explanation failed: " + e;
            }
            lines.add(p.name() + " (priority " + p.priority() + "): " + verdict);
        }
        if (lines.isEmpty()) {
            lines.add("no activation providers are installed");
        }
        ctx.options().readyFd().ifPresent(fd -> lines.add("ready-fd: " + ReadyFdNotifier.describe(ctx.posix(), fd)
                + "; a newline is written to it once serving (s6 notification-fd), then it is closed"));
        return lines;
    }

    /**
     * {@code --ready-fd=N} (s6 readiness), whichever provider activates. Opened before any provider runs: a provider
     * may repoint fds 1 and 2.
     */
    private static Optional<ServiceNotifier> readiness(ActivationContext ctx) throws ActivationException {
        if (ctx.options().readyFd().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ReadyFdNotifier.open(ctx.posix(), ctx.options().readyFd().getAsInt()));
    }

    private static Activation withNotifiers(Activation activation, List<ServiceNotifier> extra) {
        if (extra.isEmpty()) {
            return activation;
        }
        List<ServiceNotifier> all = new ArrayList<>();
        all.add(activation.notifier());
        all.addAll(extra);
        ServiceNotifier combined = ServiceNotifier.all(all);
        return new Activation() {
            @Override public String providerName() { return activation.providerName(); }
            @Override public List<Endpoint> endpoints() { return activation.endpoints(); }
            @Override public ServiceNotifier notifier() { return combined; }
            @Override public boolean ownsSockets() { return activation.ownsSockets(); }
            @Override public void close() {
                activation.close();
                extra.forEach(Activations::closeNotifier);
            }
            @Override public String toString() { return activation + " + " + extra; }
        };
    }

    private String names() {
        return providers.stream().map(ActivationProvider::name).collect(Collectors.joining(", "));
    }
}
