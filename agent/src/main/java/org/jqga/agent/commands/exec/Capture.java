package org.jqga.agent.commands.exec;

import java.io.ByteArrayOutputStream;
import org.jqga.agent.commands.Base64Data;

/**
 * What a child wrote to one captured stream: at most {@link #LIMIT} bytes are kept; anything after that is read
 * and dropped, and the stream counts as truncated (qemu-ga's rule: exactly 16 MiB is not truncated).
 */
final class Capture {
    static final int LIMIT = 16 * 1024 * 1024;

    private final int limit;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private boolean truncated;
    private boolean closed;

    Capture() {
        this(LIMIT);
    }

    Capture(int limit) {
        this.limit = limit;
    }

    synchronized void append(byte[] buf, int len) {
        int keep = Math.min(len, limit - data.size());
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
