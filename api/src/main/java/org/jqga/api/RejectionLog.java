package org.jqga.api;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one throttle for log lines a client can cause at will: each rejected request of the agent (malformed JSON, an
 * envelope qemu-ga would refuse, an unknown or disabled command, a limit reached, a client's 0xFF resynchronisation
 * byte), each {@code --max-sessions} refusal and each peer {@link PeerAccess} refuses. At most {@link #BURST} lines
 * at once and then one per {@link #REFILL_NANOS}: a client that floods the agent with garbage or connections cannot
 * flood the log. What was left out is counted: in the next line written, or, when nothing more is rejected, in a
 * summary line once the interval has passed, so that a flood that stops is still accounted for.
 *
 * <p>Rejected requests are logged at debug level ({@code --verbose}) naming the client: the client already got the
 * error, and qemu-ga logs nothing for these at its default verbosity, so a warning would only bury what an operator
 * must act on. Refusals an operator must act on (a limit to raise, a peer that is not allowed) are warnings.
 * Thread-safe.
 */
public final class RejectionLog {
    static final int BURST = 10;
    static final long REFILL_NANOS = 1_000_000_000L;

    /** Runs {@code task} once, {@code delayNanos} from now: a short-lived daemon thread, or by hand in tests. */
    interface Scheduler {
        void after(long delayNanos, Runnable task);
    }

    private final Logger log;
    private final Level level;
    /** What the lines count, plural: {@code rejections}, {@code refused clients}. */
    private final String counted;
    private final LongSupplier nanoClock;
    private final Scheduler scheduler;
    private double tokens = BURST;
    private long lastRefill;
    private long suppressed;
    private boolean summaryPending;

    /** Rejected requests, at debug level. */
    public RejectionLog() {
        this(Level.FINE);
    }

    /** Rejections logged at {@code level}: a warning for those an operator must act on (a limit to raise). */
    public RejectionLog(Level level) {
        this(RejectionLog.class.getName(), level, "rejections");
    }

    /** Lines of the logger {@code loggerName}, counting {@code counted} (plural) when some are left out. */
    RejectionLog(String loggerName, Level level, String counted) {
        this(Logger.getLogger(loggerName), level, counted, System::nanoTime, RejectionLog::afterOnDaemonThread);
    }

    RejectionLog(Logger log, Level level, String counted, LongSupplier nanoClock, Scheduler scheduler) {
        this.log = log;
        this.level = level;
        this.counted = counted;
        this.nanoClock = nanoClock;
        this.scheduler = scheduler;
        this.lastRefill = nanoClock.getAsLong();
    }

    /** Records one rejected request of {@code peer}; returns whether a line was written. */
    public boolean rejected(String peer, String what) {
        return log("rejected a request from " + peer + ": " + what);
    }

    /** Records one rejection described by {@code line}; returns whether a line was written. */
    boolean log(String line) {
        String out;
        long summaryDelay = -1;
        synchronized (this) {
            refill();
            if (tokens < 1) {
                suppressed++;
                if (!summaryPending) {
                    summaryPending = true;
                    summaryDelay = untilNextToken();
                }
                out = null;
            } else {
                tokens -= 1;
                out = line + (suppressed > 0 ? " (" + suppressed + " more " + counted + " not logged)" : "");
                suppressed = 0;
            }
        }
        if (summaryDelay >= 0) {
            scheduler.after(summaryDelay, this::summary);
        }
        if (out == null) {
            return false;
        }
        log.log(level, out);
        return true;
    }

    /** The count of what was left out since the last line, if no line has reported it by now. */
    private void summary() {
        String out;
        long again = -1;
        synchronized (this) {
            summaryPending = false;
            if (suppressed == 0) {
                return; // a line written since has carried the count
            }
            refill();
            if (tokens < 1) {
                summaryPending = true;
                again = untilNextToken();
                out = null;
            } else {
                tokens -= 1;
                out = suppressed + " more " + counted + " not logged (at most " + BURST + " lines at once, then one"
                        + " per second)";
                suppressed = 0;
            }
        }
        if (out == null) {
            scheduler.after(again, this::summary);
        } else {
            log.log(level, out);
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(BURST, tokens + (double) (now - lastRefill) / REFILL_NANOS);
        lastRefill = now;
    }

    private long untilNextToken() {
        return (long) Math.ceil((1 - tokens) * REFILL_NANOS);
    }

    /** One daemon thread per pending summary, which ends with it: at most one lives per log, for a second. */
    private static void afterOnDaemonThread(long delayNanos, Runnable task) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            task.run();
        }, "jqga-rejection-summary");
        t.setDaemon(true);
        t.start();
    }
}
