package org.jqga.agent.server;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs each rejected request (malformed JSON, an envelope qemu-ga would refuse, an unknown or disabled command, a
 * limit reached, a client's 0xFF resynchronisation byte) once, at debug level ({@code --verbose}) naming the client:
 * the client already got the error, and qemu-ga logs nothing for these at its default verbosity, so a warning would
 * only bury what an operator must act on. At most {@link #BURST} lines at once and then one per
 * {@link #REFILL_NANOS}: a client that floods the agent with garbage cannot flood the log. What was left out is
 * counted and reported with the next line that is written.
 */
public final class RejectionLog {
    static final int BURST = 10;
    static final long REFILL_NANOS = 1_000_000_000L;

    private final Logger log;
    private final Level level;
    private final LongSupplier nanoClock;
    private double tokens = BURST;
    private long lastRefill;
    private long suppressed;

    public RejectionLog() {
        this(Level.FINE);
    }

    /** Rejections logged at {@code level}: a warning for those an operator must act on (a limit to raise). */
    public RejectionLog(Level level) {
        this(Logger.getLogger(RejectionLog.class.getName()), level, System::nanoTime);
    }

    RejectionLog(Logger log, Level level, LongSupplier nanoClock) {
        this.log = log;
        this.level = level;
        this.nanoClock = nanoClock;
        this.lastRefill = nanoClock.getAsLong();
    }

    /** Records one rejection; returns whether a line was written. */
    public boolean rejected(String peer, String what) {
        String line;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            tokens = Math.min(BURST, tokens + (double) (now - lastRefill) / REFILL_NANOS);
            lastRefill = now;
            if (tokens < 1) {
                suppressed++;
                return false;
            }
            tokens -= 1;
            line = "rejected a request from " + peer + ": " + what
                    + (suppressed > 0 ? " (" + suppressed + " more rejections not logged)" : "");
            suppressed = 0;
        }
        log.log(level, line);
        return true;
    }
}
