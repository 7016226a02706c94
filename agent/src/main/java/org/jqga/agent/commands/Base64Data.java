package org.jqga.agent.commands;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import org.jqga.agent.dispatch.CommandException;

/**
 * Base64 as qemu-ga reads and writes it. Input must consist of {@code A-Z a-z 0-9 + / =} and newlines only (QEMU's
 * {@code qbase64_decode}); decoding is GLib's lenient one: newlines are skipped, every complete group of four
 * characters yields up to three bytes ({@code =} in the last two places drops bytes), and an incomplete trailing
 * group is dropped ({@code "aGVsbG8"} gives 3 bytes). Output is standard padded base64.
 */
public final class Base64Data {
    private static final int INVALID = -1;
    private static final int[] RANK = new int[256];

    static {
        java.util.Arrays.fill(RANK, INVALID);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            RANK[alphabet.charAt(i)] = i;
        }
        RANK['='] = 0;
    }

    private Base64Data() {
    }

    /** Decodes {@code text}; a NUL character ends it, as the C string it is in qemu-ga. */
    public static byte[] decode(String text) throws CommandException {
        int end = text.indexOf('\0');
        if (end < 0) {
            end = text.length();
        }
        for (int i = 0; i < end; i++) {
            char ch = text.charAt(i);
            if (ch != '\n' && (ch > 0xFF || RANK[ch] == INVALID)) {
                throw new CommandException("Base64 data contains invalid characters");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end / 4 * 3 + 3);
        int value = 0;
        int inGroup = 0;
        char last = 0;
        char beforeLast = 0;
        for (int i = 0; i < end; i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                continue;
            }
            beforeLast = last;
            last = ch;
            value = (value << 6) | RANK[ch];
            if (++inGroup == 4) {
                out.write(value >> 16);
                if (beforeLast != '=') {
                    out.write(value >> 8);
                }
                if (last != '=') {
                    out.write(value);
                }
                inGroup = 0;
            }
        }
        return out.toByteArray();
    }

    public static String encode(byte[] data, int offset, int length) {
        if (offset == 0 && length == data.length) {
            return Base64.getEncoder().encodeToString(data);
        }
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(data, offset, offset + length));
    }
}
