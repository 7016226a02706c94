package org.jqga.agent.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A session's read buffer and reply buffer. A session thread of the {@link Server} keeps one pair for all the
 * sessions it serves, one after the other, so that a client that connects per command does not cost 128 KiB of
 * fresh, zeroed heap at each connection. Only the bytes a session read or wrote itself are ever looked at: the
 * framer copies what it keeps, and each session's {@link #output} starts empty.
 */
final class SessionBuffers {
    static final int SIZE = 64 * 1024;

    final byte[] read = new byte[SIZE];
    private final byte[] write = new byte[SIZE];

    /** A buffered stream over {@code out} for one session, in this pair's reply buffer. */
    OutputStream output(OutputStream out) {
        return new Output(out, write);
    }

    /**
     * {@link java.io.BufferedOutputStream} over a buffer it is given: writes at least as large as the buffer go
     * straight through, smaller ones are collected until {@link #flush()} or the buffer is full.
     */
    private static final class Output extends OutputStream {
        private final OutputStream out;
        private final byte[] buf;
        private int count;

        Output(OutputStream out, byte[] buf) {
            this.out = out;
            this.buf = buf;
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                drain();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len >= buf.length) {
                drain();
                out.write(b, off, len);
                return;
            }
            if (len > buf.length - count) {
                drain();
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        private void drain() throws IOException {
            if (count > 0) {
                int n = count;
                count = 0; // a failed write is not retried: the session ends on it
                out.write(buf, 0, n);
            }
        }
    }
}
