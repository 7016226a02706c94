package org.jqga.agent.dispatch;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Bytes that go on the wire as a base64 JSON string ({@code buf-b64}) and that the {@link Dispatcher} encodes
 * straight into the session's output stream when the response is written: {@link Base64Bytes} holds them in memory,
 * a large {@code guest-file-read} produces them from the file chunk by chunk, so that the heap never holds the read
 * nor its base64. The reply's text before the bytes (its {@code count}) is already on the wire by then, so a
 * payload that cannot produce all its bytes fails with {@link IncompleteReplyException} and its client's
 * connection is closed.
 */
public interface Base64Payload {
    /** How many bytes {@link #writeBase64} encodes. */
    long size();

    /** The length of the base64 text: {@code ceil(size / 3) * 4}. */
    default long encodedSize() {
        return (size() + 2) / 3 * 4;
    }

    /**
     * Writes the standard padded base64 of exactly {@link #size()} bytes to {@code out}, which stays open. Called at
     * most once.
     *
     * @throws IncompleteReplyException when fewer bytes than promised can be produced
     */
    void writeBase64(OutputStream out) throws IOException;

    /** Called once the response has been written, or given up: frees what the payload holds. Idempotent. */
    default void release() {
    }

    /** The base64 text as a string (for results the dispatcher renders without holes, and for tests). */
    default String text() {
        ByteArrayOutputStream text = new ByteArrayOutputStream((int) Math.min(encodedSize(), Integer.MAX_VALUE - 8));
        try {
            writeBase64(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release();
        }
        return text.toString(StandardCharsets.US_ASCII);
    }

    /**
     * A stream that base64-encodes what is written to it into {@code out}; its {@code close()} writes the final
     * group and padding but leaves {@code out} open.
     */
    static OutputStream encoderTo(OutputStream out) {
        return Base64.getEncoder().wrap(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len); // FilterOutputStream would write byte by byte
            }

            @Override
            public void close() {
                // the session's stream outlives this one payload
            }
        });
    }
}
