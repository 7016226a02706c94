package org.jqga.agent.commands.exec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of captured guest-exec output the agent may hold at once, over all children ({@code --max-exec-output}).
 * A capture takes bytes as it keeps them and gives them back once its child's final status has been reported.
 */
final class OutputBudget {
    private final AtomicLong remaining;

    OutputBudget(long bytes) {
        this.remaining = new AtomicLong(bytes);
    }

    static OutputBudget unlimited() {
        return new OutputBudget(Long.MAX_VALUE / 2);
    }

    /** Takes up to {@code wanted} bytes and returns how many were granted (0 when the budget is spent). */
    long take(long wanted) {
        if (wanted <= 0) {
            return 0;
        }
        while (true) {
            long left = remaining.get();
            long granted = Math.min(left, wanted);
            if (granted <= 0) {
                return 0;
            }
            if (remaining.compareAndSet(left, left - granted)) {
                return granted;
            }
        }
    }

    void giveBack(long bytes) {
        remaining.addAndGet(bytes);
    }

    long remaining() {
        return remaining.get();
    }
}
