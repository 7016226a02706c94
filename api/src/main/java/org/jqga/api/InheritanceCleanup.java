package org.jqga.api;

import java.util.ArrayList;
import java.util.List;

/**
 * When a provider makes what it was handed safe from child processes: {@code FD_CLOEXEC} on the fds it serves and
 * the supervisor's variables removed from the C environment, as {@code sd_listen_fds(1)} does. Both need libc, and
 * binding it (jnr-ffi) costs tens of milliseconds of CPU, while both matter only once this process starts a child
 * that would inherit what the supervisor passed.
 *
 * <pre>{@code
 * // A daemon that starts children only through posix_spawn with closefrom(3) and an explicit environment:
 * InheritanceCleanup cleanup = InheritanceCleanup.deferred();
 * Activation a = activations.select(new ActivationContext(env, pid, posix, options, transports,
 *         ActivationContext.LISTEN_FDS_START, cleanup));
 * serve(a);              // the first client is answered without libc
 * cleanup.runDeferred(); // then, on any thread, before anything could start another kind of child
 * }</pre>
 *
 * {@link #immediate()}, the default, runs each step inside {@code activate}: a failing step fails the activation.
 */
public final class InheritanceCleanup {
    private static final System.Logger LOG = System.getLogger(InheritanceCleanup.class.getName());

    /** One step of the clean-up, e.g. marking the served fds close-on-exec. */
    @FunctionalInterface
    public interface Step {
        void run() throws ActivationException;
    }

    /** {@code null} when steps run at once. */
    private final List<Step> pending;

    private InheritanceCleanup(List<Step> pending) {
        this.pending = pending;
    }

    /** Steps run when a provider applies them, before {@code activate} returns. */
    public static InheritanceCleanup immediate() {
        return new InheritanceCleanup(null);
    }

    /**
     * Steps wait for {@link #runDeferred()}. Only for a process whose children cannot inherit the supervisor's fds
     * or C environment meanwhile (jqga's start with posix_spawn, closefrom(3) and an explicit environment; the JDK's
     * {@link ProcessBuilder} closes every fd above 2 but passes {@link System#getenv()}'s snapshot, see
     * {@link ActivationEnvironment}).
     */
    public static InheritanceCleanup deferred() {
        return new InheritanceCleanup(new ArrayList<>());
    }

    /** Runs {@code step} now (immediate) or queues it (deferred). */
    public void apply(Step step) throws ActivationException {
        if (pending == null) {
            step.run();
            return;
        }
        synchronized (pending) {
            pending.add(step);
        }
    }

    /**
     * Runs the queued steps, in the order they were applied, once; a failing step is logged (WARNING, with what
     * failed) and the others still run. Nothing happens for {@link #immediate()}.
     *
     * @return how many steps failed
     */
    public int runDeferred() {
        if (pending == null) {
            return 0;
        }
        List<Step> steps;
        synchronized (pending) {
            steps = List.copyOf(pending);
            pending.clear();
        }
        int failed = 0;
        for (Step step : steps) {
            try {
                step.run();
            } catch (ActivationException | RuntimeException e) {
                failed++;
                LOG.log(System.Logger.Level.WARNING, "after serving started, making the activation's fds and"
                        + " environment safe from child processes failed: " + e.getMessage());
            }
        }
        return failed;
    }
}
