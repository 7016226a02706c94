package org.jqga.agent.dispatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One response, ready to be written: its JSON text (pure ASCII, with the final newline), the 0xFF that precedes a
 * delimited response, and the {@link Base64Payload}s that go into the holes the text leaves for them, encoded when
 * the reply is written. Write it once ({@link #writeTo}) or {@link #release()} it.
 */
public final class Reply {
    private static final byte DELIMITER = (byte) 0xFF;

    private final byte[] text;
    private final boolean delimited;
    /** Where in {@link #text} each payload goes, in increasing order. */
    private final int[] positions;
    private final Base64Payload[] payloads;

    Reply(byte[] text, boolean delimited, int[] positions, Base64Payload[] payloads) {
        this.text = text;
        this.delimited = delimited;
        this.positions = positions;
        this.payloads = payloads;
    }

    static Reply of(byte[] text, boolean delimited) {
        return new Reply(text, delimited, new int[0], new Base64Payload[0]);
    }

    /** The number of bytes {@link #writeTo} writes. */
    public long size() {
        long size = (delimited ? 1L : 0L) + text.length;
        for (Base64Payload p : payloads) {
            size += p.encodedSize();
        }
        return size;
    }

    /**
     * Writes the reply to {@code out} (not flushed) and releases its payloads, also when it fails.
     *
     * @throws IncompleteReplyException when a payload could not produce all its bytes: what was written is not
     *     valid JSON and the connection must be closed
     */
    public void writeTo(OutputStream out) throws IOException {
        try {
            if (delimited) {
                out.write(DELIMITER);
            }
            int from = 0;
            for (int i = 0; i < payloads.length; i++) {
                out.write(text, from, positions[i] - from);
                from = positions[i];
                payloads[i].writeBase64(out);
            }
            out.write(text, from, text.length - from);
        } finally {
            release();
        }
    }

    /** Frees the payloads of a reply that will not be written. */
    public void release() {
        for (Base64Payload p : payloads) {
            p.release();
        }
    }

    /** The reply's bytes in one array (for tests and small callers; a session streams it with {@link #writeTo}). */
    public byte[] toBytes() {
        long size = size();
        if (size > Integer.MAX_VALUE - 8) {
            release();
            throw new IllegalStateException("response of " + size + " bytes is too large");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
