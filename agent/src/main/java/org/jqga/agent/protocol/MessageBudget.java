package org.jqga.agent.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory that all sessions' large requests share. {@code --max-message-size} bounds one request, but sixteen
 * sessions each sending a 64 MiB request would need several GiB of heap: bytes, decoded strings, the JSON tree.
 * Each framer may hold its first {@link #FREE_BYTES} without asking (every ordinary request fits); beyond that it
 * reserves {@link #COST_PER_BYTE} budget bytes per request byte, in {@link #CHUNK} steps, and a request the budget
 * cannot cover is answered with an error and skipped, like an oversized one, instead of running the JVM out of memory.
 * The agent's budget is half the maximum heap. Thread-safe.
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
    private final AtomicLong available;

    public MessageBudget(long totalBytes) {
        this.total = totalBytes;
        this.available = new AtomicLong(totalBytes);
    }

    /** Half of {@code maxHeapBytes} ({@link Runtime#maxMemory()}). */
    public static MessageBudget forHeap(long maxHeapBytes) {
        return new MessageBudget(maxHeapBytes / 2);
    }

    /** A budget that never refuses. */
    public static MessageBudget unlimited() {
        return new MessageBudget(Long.MAX_VALUE / 2);
    }

    public long total() {
        return total;
    }

    /** Takes {@code bytes} of budget, or nothing when fewer are left. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = available.get();
            if (now < bytes) {
                return false;
            }
        } while (!available.compareAndSet(now, now - bytes));
        return true;
    }

    void release(long bytes) {
        available.addAndGet(bytes);
    }

    @Override
    public String toString() {
        return (total >> 20) + " MiB for large requests, " + (available.get() >> 20) + " MiB free";
    }
}
