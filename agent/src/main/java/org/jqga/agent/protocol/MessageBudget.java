package org.jqga.agent.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory that all sessions' large requests share. {@code --max-message-size} bounds one request, but sixteen
 * sessions each sending a 64 MiB request would need several GiB of heap: bytes, decoded strings, the JSON tree.
 * Each framer may hold its first {@link #FREE_BYTES} without asking (every ordinary request fits); beyond that it
 * reserves {@link #COST_PER_BYTE} budget bytes per request byte, in {@link #CHUNK} steps, and a request the budget
 * cannot cover is answered with an error and skipped, like an oversized one, instead of running the JVM out of memory.
 * The agent's budget is half the maximum heap. Each time the last reservation is given back (no large request is
 * being handled any more), the budget says so to its {@code whenAllReleased} hook: the agent then gives the heap
 * those requests grew back to the system ({@code HeapShrink}). Thread-safe.
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
    private final Runnable whenAllReleased;

    public MessageBudget(long totalBytes) {
        this(totalBytes, () -> { });
    }

    /** {@code whenAllReleased} runs on the releasing thread, right after the last reservation is given back. */
    public MessageBudget(long totalBytes, Runnable whenAllReleased) {
        this.total = totalBytes;
        this.available = new AtomicLong(totalBytes);
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
        if (available.addAndGet(bytes) == total) {
            whenAllReleased.run();
        }
    }

    @Override
    public String toString() {
        return (total >> 20) + " MiB for large requests, " + (available.get() >> 20) + " MiB free";
    }
}
