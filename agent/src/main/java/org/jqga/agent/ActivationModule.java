package org.jqga.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import org.jqga.agent.server.Server;
import org.jqga.api.Activation;
import org.jqga.api.ServiceNotifier;

/**
 * The endpoints and notifier that the selected activation provider proved, and the server that serves them. Installed
 * in the agent's one injector, which is built while the activation is still being chosen (see {@link Main}): the
 * activation arrives through {@code chosen}, and nothing that needs it (the {@link Server}) is asked for before it
 * has. So the agent can also be built for {@code --block-rpcs=help} or {@code --dump-conf} without any activation.
 * Only binds.
 */
public final class ActivationModule extends AbstractModule {
    private final CompletableFuture<Activation> chosen;

    /** @param chosen completed by the caller with the selected activation before the {@link Server} is asked for */
    public ActivationModule(CompletableFuture<Activation> chosen) {
        this.chosen = chosen;
    }

    @Override
    protected void configure() {
        bind(Server.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    Activation activation() {
        Activation a = chosen.getNow(null);
        if (a == null) {
            throw new IllegalStateException("the server was asked for before the activation was chosen");
        }
        return a;
    }

    @Provides
    @Singleton
    ServiceNotifier notifier(Activation activation) {
        return activation.notifier();
    }
}
