package org.jqga.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tells a supervisor about the daemon's state: systemd's {@code NOTIFY_SOCKET}, s6's notification fd, or nothing.
 * Implementations never throw: a supervisor that went away is logged, not fatal.
 */
public interface ServiceNotifier {
    /** Every endpoint accepts clients. */
    void ready();

    /** One human-readable line. */
    void status(String text);

    /** Shutdown has begun. */
    void stopping();

    /** A configuration reload has begun; {@link #ready()} follows when done. */
    void reloading();

    /** Keep-alive ping. */
    void watchdog();

    /** How often {@link #watchdog()} must be called, if the supervisor asked for pings. */
    Optional<Duration> watchdogInterval();

    /** A notifier that tells nobody anything. */
    ServiceNotifier NONE = new ServiceNotifier() {
        @Override public void ready() { }
        @Override public void status(String text) { }
        @Override public void stopping() { }
        @Override public void reloading() { }
        @Override public void watchdog() { }
        @Override public Optional<Duration> watchdogInterval() { return Optional.empty(); }
        @Override public String toString() { return "none"; }
    };

    /** Tells all of {@code notifiers}; handy when an s6 readiness fd and systemd are both configured. */
    static ServiceNotifier all(List<ServiceNotifier> notifiers) {
        List<ServiceNotifier> list = List.copyOf(notifiers);
        if (list.isEmpty()) {
            return NONE;
        }
        if (list.size() == 1) {
            return list.get(0);
        }
        return new ServiceNotifier() {
            @Override public void ready() { list.forEach(ServiceNotifier::ready); }
            @Override public void status(String text) { list.forEach(n -> n.status(text)); }
            @Override public void stopping() { list.forEach(ServiceNotifier::stopping); }
            @Override public void reloading() { list.forEach(ServiceNotifier::reloading); }
            @Override public void watchdog() { list.forEach(ServiceNotifier::watchdog); }
            @Override public Optional<Duration> watchdogInterval() {
                return list.stream().map(ServiceNotifier::watchdogInterval).flatMap(Optional::stream)
                        .min(Duration::compareTo);
            }
            @Override public String toString() { return list.toString(); }
        };
    }
}
