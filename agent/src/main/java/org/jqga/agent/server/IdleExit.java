package org.jqga.agent.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code --idle-exit=SECONDS}: when no session has been open and no {@link BackgroundWork} has been running for
 * that long, asks the server to stop so that the agent exits 0. Only meaningful when a supervisor owns the sockets:
 * it keeps listening while no agent runs and starts one again on the next connection (socket activation's promise
 * that an unused daemon costs no memory). Connections that arrive meanwhile wait in the listen backlog.
 */
public final class IdleExit {
    private static final Logger LOG = Logger.getLogger(IdleExit.class.getName());
    private static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(50);

    private final Supplier<Optional<Instant>> idleSince;
    private final Iterable<BackgroundWork> work;
    private final Duration limit;
    private final Supplier<Instant> clock;
    private Instant lastBusy;

    public IdleExit(Server server, BackgroundWorks work, Duration limit) {
        this(server::idleSince, work, limit, Instant::now);
    }

    /**
     * @param idleSince since when no session has been open (empty while one is), as {@link Server#idleSince()}
     */
    IdleExit(Supplier<Optional<Instant>> idleSince, Iterable<BackgroundWork> work, Duration limit,
             Supplier<Instant> clock) {
        this.idleSince = idleSince;
        this.work = work;
        this.limit = limit;
        this.clock = clock;
        this.lastBusy = clock.get();
    }

    /** Starts a daemon thread that runs {@code onIdle} (e.g. {@link Server#requestStop()}) once idle for the limit. */
    public Thread start(Runnable onIdle) {
        Duration interval = limit.dividedBy(4);
        if (interval.compareTo(MAX_CHECK_INTERVAL) > 0) {
            interval = MAX_CHECK_INTERVAL;
        }
        if (interval.compareTo(MIN_CHECK_INTERVAL) < 0) {
            interval = MIN_CHECK_INTERVAL;
        }
        long millis = interval.toMillis();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(millis);
                    Optional<String> verdict = check();
                    if (verdict.isPresent()) {
                        LOG.info(verdict.get());
                        onIdle.run();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "idle-exit");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A log line when the agent has been idle long enough, otherwise empty. */
    Optional<String> check() {
        Instant now = clock.get();
        for (BackgroundWork w : work) {
            Optional<String> running = w.running();
            if (running.isPresent()) {
                lastBusy = now;
                return Optional.empty();
            }
        }
        Optional<Instant> idle = idleSince.get();
        if (idle.isEmpty()) {
            return Optional.empty();
        }
        Instant since = idle.get().isAfter(lastBusy) ? idle.get() : lastBusy;
        if (Duration.between(since, now).compareTo(limit) < 0) {
            return Optional.empty();
        }
        return Optional.of("idle for " + limit.toSeconds() + " s (no session, no background work): exiting; the"
                + " supervisor starts the agent again on the next connection");
    }
}
