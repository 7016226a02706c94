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
        // The readiness fd is checked before any provider runs: a provider may repoint fds 1 and 2.
        Optional<ServiceNotifier> readiness = readiness(ctx);
        Optional<String> forced = ctx.options().forcedProvider();
        if (forced.isPresent()) {
            ActivationProvider p = providers.stream().filter(x -> x.name().equals(forced.get())).findFirst()
                    .orElseThrow(() -> new ActivationException(SysExits.EX_USAGE, "--activation=" + forced.get()
                            + ": no such activation provider is installed (installed: " + names() + ")"));
            Activation a = p.activate(ctx).orElseThrow(() -> new ActivationException(SysExits.EX_CONFIG,
                    "--activation=" + p.name() + " was requested, but " + p.explain(ctx)));
            return withNotifiers(a, extraNotifiers(ctx, p, a, readiness));
        }
        for (ActivationProvider p : providers) {
            Optional<Activation> a = p.activate(ctx);
            if (a.isPresent()) {
                return withNotifiers(a.get(), extraNotifiers(ctx, p, a.get(), readiness));
            }
        }
        throw new ActivationException(SysExits.EX_CONFIG, "no activation provider applies ("
                + providers.stream().map(p -> p.name() + ": " + p.explain(ctx)).collect(Collectors.joining("; "))
                + ")");
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
        List<String> lines = new ArrayList<>();
        for (ActivationProvider p : providers) {
            String verdict;
            try {
                verdict = p.explain(ctx);
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

    /** {@code --ready-fd=N} (s6 readiness), whichever provider activates. */
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
