package org.jqga.agent.dispatch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Bytes in memory that a command returns and that go on the wire as a base64 JSON string ({@code buf-b64}). The
 * {@link Dispatcher} encodes them straight into the session's output: they are not first made into a Java string,
 * then escaped character by character and copied. Equality is by content.
 */
public record Base64Bytes(byte[] data, int offset, int length) implements Base64Payload {
    public static final Base64Bytes EMPTY = new Base64Bytes(new byte[0], 0, 0);

    public Base64Bytes {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + data.length);
        }
    }

    /** The bytes that {@code text} (standard padded base64) encodes; for tests and literals. */
    public static Base64Bytes ofText(String text) {
        byte[] bytes = Base64.getDecoder().decode(text);
        return new Base64Bytes(bytes, 0, bytes.length);
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void writeBase64(OutputStream out) throws IOException {
        try (OutputStream encoder = Base64Payload.encoderTo(out)) {
            encoder.write(data, offset, length);
        }
    }

    /** The standard padded base64 text, as a string. */
    @Override
    public String text() {
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, offset, offset + length));
    }

    /** The length of {@link #text()} without making it. */
    public int encodedLength() {
        return (length + 2) / 3 * 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Base64Bytes b
                && Arrays.equals(data, offset, offset + length, b.data, b.offset, b.offset + b.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + data[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return length <= 48 ? text() : length + " bytes";
    }
}
