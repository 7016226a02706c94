package org.jqga.api;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
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
        sorted.sort(Comparator.comparingInt(ActivationProvider::priority).reversed()
                .thenComparing(ActivationProvider::name));
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
     * applied to its endpoints.
     */
    public Activation select(ActivationContext ctx) throws ActivationException {
        return PeerAccess.of(ctx.options()).restrict(choose(ctx));
    }

    private Activation choose(ActivationContext ctx) throws ActivationException {
        Optional<String> forced = ctx.options().forcedProvider();
        if (forced.isPresent()) {
            ActivationProvider p = providers.stream().filter(x -> x.name().equals(forced.get())).findFirst()
                    .orElseThrow(() -> new ActivationException(SysExits.EX_USAGE, "--activation=" + forced.get()
                            + ": no such activation provider is installed (installed: " + names() + ")"));
            return p.activate(ctx).orElseThrow(() -> new ActivationException(SysExits.EX_CONFIG,
                    "--activation=" + p.name() + " was requested, but " + p.explain(ctx)));
        }
        for (ActivationProvider p : providers) {
            Optional<Activation> a = p.activate(ctx);
            if (a.isPresent()) {
                return a.get();
            }
        }
        throw new ActivationException(SysExits.EX_CONFIG, "no activation provider applies ("
                + providers.stream().map(p -> p.name() + ": " + p.explain(ctx)).collect(Collectors.joining("; "))
                + ")");
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
        return lines;
    }

    private String names() {
        return providers.stream().map(ActivationProvider::name).collect(Collectors.joining(", "));
    }
}
