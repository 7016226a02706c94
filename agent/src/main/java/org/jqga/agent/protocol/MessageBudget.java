package org.jqga.agent.protocol;

import java.util.Locale;

/**
 * Memory that all sessions' large requests share. {@code --max-message-size} bounds one request, but sixteen
 * sessions each sending a 64 MiB request would need several GiB of heap: bytes, decoded strings, the JSON tree.
 * Each framer may hold its first {@link #FREE_BYTES} without asking (every ordinary request fits); beyond that it
 * reserves {@link #COST_PER_BYTE} budget bytes per request byte, in {@link #CHUNK} steps, and a request the budget
 * cannot cover is answered with an error and skipped, like an oversized one, instead of running the JVM out of memory.
 * The agent's budget is half the maximum heap. Each time the last reservation is given back (no large request is
 * being handled any more), the budget says so to its {@code whenAllReleased} hook: the agent then gives the heap
 * those requests grew back to the system ({@code HeapShrink}). Thread-safe.
 *
 * <p><b>The lone request.</b> A reservation by the only holder (nothing else is reserved) is admitted beyond the
 * budget, up to the caller's own maximum: the reservation a request of {@code --max-message-size} needs. Without
 * this, half of a 256 or 512 MiB heap at 4 bytes per byte refuses one request below the 64 MiB limit on an idle
 * agent, which qemu-ga serves. It is safe because it cannot add up: the budget is overdrawn only while that one
 * request holds everything reserved, every other large request is refused until it has given its reservation back
 * (what others hold is then above the budget), so the heap holds at most one request beyond the budget and that
 * request is bounded by the framer's limit, which the operator chose; the heap needed for it is the same whatever
 * the number of sessions.
 */
public final class MessageBudget {
    /** Request bytes a framer holds without reserving: more than any request but file writes and exec input. */
    public static final long FREE_BYTES = 1L << 20;
    /** Reservations are made in steps of this many request bytes. */
    public static final long CHUNK = 1L << 20;
    /**
     * Heap per request byte while it is framed and dispatched: the token bytes, their copy, the decoded string
     * (Latin-1 at best) and the decoded base64 of a file write, measured in {@code LimitsIT} as under four.
     */
    public static final long COST_PER_BYTE = 4;

    private final long total;
    /** Budget bytes reserved by all framers; above {@link #total} only while one framer holds all of it. */
    private long reserved;
    private final Runnable whenAllReleased;

    public MessageBudget(long totalBytes) {
        this(totalBytes, () -> { });
    }

    /** {@code whenAllReleased} runs on the releasing thread, right after the last reservation is given back. */
    public MessageBudget(long totalBytes, Runnable whenAllReleased) {
        this.total = totalBytes;
        this.whenAllReleased = whenAllReleased;
    }

    /** Half of {@code maxHeapBytes} ({@link Runtime#maxMemory()}). */
    public static MessageBudget forHeap(long maxHeapBytes, Runnable whenAllReleased) {
        return new MessageBudget(maxHeapBytes / 2, whenAllReleased);
    }

    /** A budget that never refuses. */
    public static MessageBudget unlimited() {
        return new MessageBudget(Long.MAX_VALUE / 2);
    }

    public long total() {
        return total;
    }

    /** Takes {@code bytes} of budget, or nothing when fewer are left; never beyond the budget. */
    boolean tryReserve(long bytes) {
        return tryReserve(bytes, 0, 0);
    }

    /**
     * Takes {@code bytes} more of budget for a caller that already holds {@code held}, or nothing. Admitted when the
     * budget covers it, or when the caller is the only holder and will then hold at most {@code callerMax} (the
     * lone request, see the class comment).
     */
    synchronized boolean tryReserve(long bytes, long held, long callerMax) {
        if (bytes <= total - reserved || (reserved == held && held + bytes <= callerMax)) {
            reserved += bytes;
            return true;
        }
        return false;
    }

    void release(long bytes) {
        boolean last;
        synchronized (this) {
            reserved -= bytes;
            last = reserved == 0;
        }
        if (last) {
            whenAllReleased.run();
        }
    }

    /**
     * The error for a request of {@code requestBytes} so far whose framer holds {@code held} and was refused more:
     * qemu-ga's reply shape, with the sizes that made the difference.
     */
    synchronized String refusal(long requestBytes, long held) {
        return "request too large for the agent's memory while other large requests are being handled (this"
                + " request: " + mib(requestBytes) + " so far, other requests hold " + mib(reserved - held)
                + " of the " + mib(total) + " budget for large requests, " + COST_PER_BYTE
                + " budget bytes per request byte beyond the first " + mib(FREE_BYTES) + "); send it again later";
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    @Override
    public synchronized String toString() {
        return (total >> 20) + " MiB for large requests, " + ((total - reserved) >> 20) + " MiB free";
    }
}
