package org.jqga.api.spi;

import java.util.Optional;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationException;
import org.jqga.api.ServiceNotifier;

/**
 * One way a daemon can be handed its endpoints. Every check has three outcomes, as in sd-daemon: not mine
 * ({@link Optional#empty()}), mine but wrong ({@link ActivationException} with a precise message), or proved.
 */
public interface ActivationProvider {
    /** {@code systemd}, {@code inetd}, {@code manual}: the value of {@code --activation=NAME}. */
    String name();

    /** Higher is asked first. */
    int priority();

    /** Proves the endpoints this provider is responsible for, or says it is not responsible. */
    Optional<Activation> activate(ActivationContext ctx) throws ActivationException;

    /**
     * A notifier for the supervisor that started this process, used when another provider's activation is served:
     * systemd waits for {@code READY=1} from a {@code Type=notify} service that opens a character device or binds
     * its own socket just as from a socket-activated one. Asked only of the providers whose {@link #activate}
     * did not win; empty when this provider's supervisor takes no notifications.
     */
    default Optional<ServiceNotifier> supervisorNotifier(ActivationContext ctx) throws ActivationException {
        return Optional.empty();
    }

    /**
     * Whether this provider makes its endpoints itself from the daemon's options (binds a socket, opens a device)
     * rather than finding what a supervisor passed. {@link org.jqga.api.InheritedSockets} asks only the providers
     * that find: a daemon using it binds its own sockets when nothing was passed.
     */
    default boolean createsEndpoints() {
        return false;
    }

    /** One line for {@code --explain-activation}: what this provider sees in {@code ctx}, without side effects. */
    String explain(ActivationContext ctx);
}
