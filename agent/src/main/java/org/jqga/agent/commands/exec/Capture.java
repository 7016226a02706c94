package org.jqga.agent.commands.exec;

import java.io.ByteArrayOutputStream;
import org.jqga.agent.cli.Limits;
import org.jqga.agent.commands.Base64Data;

/**
 * What a child wrote to one captured stream: at most {@link #LIMIT} bytes are kept; anything after that is read
 * and dropped, and the stream counts as truncated (qemu-ga's rule: exactly 16 MiB is not truncated). The bytes kept
 * are also taken from the agent's {@link OutputBudget}, shared by all children: when it is spent, output is dropped
 * the same way, so that many chatty children cannot exhaust the heap.
 */
final class Capture {
    static final int LIMIT = Limits.QEMU_STREAM_CAPTURE;

    private final int limit;
    private final OutputBudget budget;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private boolean truncated;
    private boolean closed;

    Capture() {
        this(LIMIT);
    }

    Capture(int limit) {
        this(limit, OutputBudget.unlimited());
    }

    Capture(int limit, OutputBudget budget) {
        this.limit = limit;
        this.budget = budget;
    }

    synchronized void append(byte[] buf, int len) {
        int keep = (int) budget.take(Math.min(len, limit - data.size()));
        if (keep > 0) {
            data.write(buf, 0, keep);
        }
        if (keep < len) {
            truncated = true;
        }
    }

    synchronized void close() {
        closed = true;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Gives the kept bytes back to the budget; the capture is not used afterwards. */
    synchronized void release() {
        budget.giveBack(data.size());
    }

    synchronized int size() {
        return data.size();
    }

    synchronized boolean truncated() {
        return truncated;
    }

    synchronized String base64() {
        return Base64Data.encode(data.toByteArray(), 0, data.size());
    }
}
