package org.jqga.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.jqga.agent.server.Server;
import org.jqga.api.Activation;
import org.jqga.api.ServiceNotifier;

/**
 * The endpoints and notifier that the selected activation provider proved, and the server that serves them.
 * Installed in a child of the agent's injector, so that the agent can be built (for {@code --block-rpcs=help},
 * {@code --dump-conf}) before any activation is attempted. Only binds.
 */
public final class ActivationModule extends AbstractModule {
    private final Activation activation;

    public ActivationModule(Activation activation) {
        this.activation = activation;
    }

    @Override
    protected void configure() {
        bind(Activation.class).toInstance(activation);
        bind(ServiceNotifier.class).toInstance(activation.notifier());
        bind(Server.class).in(Singleton.class);
    }
}
