package org.jqga.api;

import java.util.List;

/** What a provider proved about how this process was started: the endpoints to serve and whom to notify. */
public interface Activation extends AutoCloseable {
    /** The provider that produced this activation, e.g. {@code systemd}. */
    String providerName();

    /** At least one endpoint, in the order the supervisor passed them (or the order they were bound). */
    List<Endpoint> endpoints();

    /** The supervisor's notification channel, or {@link ServiceNotifier#NONE}. */
    ServiceNotifier notifier();

    /**
     * Whether the endpoints were created by this process. When {@code false} a supervisor owns them: their
     * socket paths must never be unlinked, and idle exit makes sense because the supervisor keeps listening.
     */
    boolean ownsSockets();

    /** Closes every endpoint (and removes socket files this process created). Never throws. */
    @Override
    void close();

    /** A simple immutable activation. */
    static Activation of(String provider, List<Endpoint> endpoints, ServiceNotifier notifier, boolean ownsSockets) {
        List<Endpoint> copy = List.copyOf(endpoints);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("an activation needs at least one endpoint");
        }
        return new Activation() {
            @Override public String providerName() { return provider; }
            @Override public List<Endpoint> endpoints() { return copy; }
            @Override public ServiceNotifier notifier() { return notifier; }
            @Override public boolean ownsSockets() { return ownsSockets; }
            @Override public void close() {
                for (Endpoint e : copy) {
                    e.close();
                }
            }
            @Override public String toString() { return provider + " " + copy; }
        };
    }
}
