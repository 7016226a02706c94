package org.jqga.bench;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A guest-file-read reply taken apart without handing tens of MiB of base64 to a JSON parser: the buf-b64 string is
 * cut out and decoded directly, and the small rest ({@code count}, {@code eof}, or an error) goes through Gson.
 * Base64 has no characters JSON must escape; a {@code \/} escape (allowed by JSON) is undone.
 */
record FileReadReply(long count, boolean eof, ByteBuffer data) {
    private static final byte[] MARKER = "\"buf-b64\": \"".getBytes(StandardCharsets.US_ASCII);

    static FileReadReply parse(QgaConnection.Line line, String request) throws QgaConnection.QgaErrorException {
        byte[] b = line.bytes();
        int from = line.offset();
        int to = from + line.length();
        int open = indexOf(b, from, to, MARKER);
        if (open < 0) {
            // An error reply, or a reply without data: small enough for the JSON parser, which reports it.
            QgaConnection.Line.returnOf(line.text(), request);
            throw new QgaConnection.QgaErrorException("Protocol", "no buf-b64 in " + line.text().strip(), request);
        }
        int dataStart = open + MARKER.length;
        int close = dataStart;
        boolean escaped = false;
        while (close < to && b[close] != '"') {
            escaped |= b[close] == '\\';
            close += b[close] == '\\' ? 2 : 1;
        }
        if (close >= to) {
            throw new QgaConnection.QgaErrorException("Protocol", "unterminated buf-b64 string", request);
        }
        ByteBuffer base64 = ByteBuffer.wrap(b, dataStart, close - dataStart);
        if (escaped) {
            base64 = unescape(b, dataStart, close);
        }
        ByteBuffer data = Base64.getDecoder().decode(base64);
        String rest = new String(b, from, dataStart - from, StandardCharsets.UTF_8)
                + new String(b, close, to - close, StandardCharsets.UTF_8);
        JsonObject r = QgaConnection.Line.returnOf(rest, request).getAsJsonObject();
        long count = r.get("count").getAsLong();
        if (count != data.remaining()) {
            throw new QgaConnection.QgaErrorException("Protocol", "count " + count + " but buf-b64 holds "
                    + data.remaining() + " bytes", request);
        }
        return new FileReadReply(count, r.get("eof").getAsBoolean(), data);
    }

    private static ByteBuffer unescape(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            out[n++] = b[i] == '\\' ? b[++i] : b[i];
        }
        return ByteBuffer.wrap(out, 0, n);
    }

    static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
