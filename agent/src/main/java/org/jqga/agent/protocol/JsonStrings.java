package org.jqga.agent.protocol;

/**
 * Decodes a string token (quotes included) the way QEMU's parser does: the usual escapes plus {@code \'},
 * backslash-u escapes with surrogate pairs, and raw bytes validated as modified UTF-8 (the overlong {@code C0 80}
 * is U+0000; surrogates and noncharacters are rejected).
 */
final class JsonStrings {
    private JsonStrings() {
    }

    static String decode(byte[] tok) throws JsonTextParser.ParseError {
        StringBuilder sb = new StringBuilder(tok.length);
        int end = tok.length - 1; // closing quote
        int i = 1;
        while (i < end) {
            int c = tok[i] & 0xFF;
            if (c == '\\') {
                i = escape(tok, i, end, sb);
            } else if (c < 0x80) {
                sb.append((char) c);
                i++;
            } else {
                i = utf8(tok, i, end, sb);
            }
        }
        return sb.toString();
    }

    private static int escape(byte[] tok, int i, int end, StringBuilder sb) throws JsonTextParser.ParseError {
        int c = tok[i + 1] & 0xFF;
        switch (c) {
            case '"': sb.append('"'); return i + 2;
            case '\'': sb.append('\''); return i + 2;
            case '\\': sb.append('\\'); return i + 2;
            case '/': sb.append('/'); return i + 2;
            case 'b': sb.append('\b'); return i + 2;
            case 'f': sb.append('\f'); return i + 2;
            case 'n': sb.append('\n'); return i + 2;
            case 'r': sb.append('\r'); return i + 2;
            case 't': sb.append('\t'); return i + 2;
            case 'u':
                break;
            default:
                throw new JsonTextParser.ParseError("invalid escape sequence in string");
        }
        int cp = hex4(tok, i + 2, end);
        int next = i + 6;
        if (Character.isHighSurrogate((char) cp) && next + 6 <= end && tok[next] == '\\'
                && tok[next + 1] == 'u') {
            int low = hex4(tok, next + 2, end);
            if (Character.isLowSurrogate((char) low)) {
                cp = Character.toCodePoint((char) cp, (char) low);
                next += 6;
            }
        }
        if ((cp >= 0xD800 && cp <= 0xDFFF) || isNoncharacter(cp)) {
            throw new JsonTextParser.ParseError(new String(tok, i, 6, java.nio.charset.StandardCharsets.US_ASCII)
                    + " is not a valid Unicode character");
        }
        sb.appendCodePoint(cp);
        return next;
    }

    private static int hex4(byte[] tok, int from, int end) throws JsonTextParser.ParseError {
        if (from + 4 > end) {
            throw new JsonTextParser.ParseError("invalid hex escape sequence in string");
        }
        int v = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(tok[k], 16);
            if (d < 0) {
                throw new JsonTextParser.ParseError("invalid hex escape sequence in string");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static int utf8(byte[] tok, int i, int end, StringBuilder sb) throws JsonTextParser.ParseError {
        int b0 = tok[i] & 0xFF;
        int len;
        int cp;
        int min;
        if (b0 >= 0xC0 && b0 <= 0xDF) {
            len = 2;
            cp = b0 & 0x1F;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            cp = b0 & 0x0F;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF7) {
            len = 4;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            throw invalidUtf8();
        }
        if (i + len > end) {
            throw invalidUtf8();
        }
        for (int k = 1; k < len; k++) {
            int b = tok[i + k] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                throw invalidUtf8();
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        boolean modifiedNul = len == 2 && cp == 0;
        if ((cp < min && !modifiedNul) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || isNoncharacter(cp)) {
            throw invalidUtf8();
        }
        sb.appendCodePoint(cp);
        return i + len;
    }

    private static boolean isNoncharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static JsonTextParser.ParseError invalidUtf8() {
        return new JsonTextParser.ParseError("invalid UTF-8 sequence in string");
    }
}
