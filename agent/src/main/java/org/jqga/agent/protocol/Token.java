package org.jqga.agent.protocol;

import java.nio.charset.StandardCharsets;

/** A lexical token of QEMU's JSON dialect. Structural tokens are shared; literals keep their raw bytes. */
final class Token {
    enum Type { LCURLY, RCURLY, LSQUARE, RSQUARE, COLON, COMMA, STRING, INTEGER, FLOAT, KEYWORD }

    static final Token LCURLY = new Token(Type.LCURLY, new byte[] {'{'});
    static final Token RCURLY = new Token(Type.RCURLY, new byte[] {'}'});
    static final Token LSQUARE = new Token(Type.LSQUARE, new byte[] {'['});
    static final Token RSQUARE = new Token(Type.RSQUARE, new byte[] {']'});
    static final Token COLON = new Token(Type.COLON, new byte[] {':'});
    static final Token COMMA = new Token(Type.COMMA, new byte[] {','});

    final Type type;
    final byte[] text;

    Token(Type type, byte[] text) {
        this.type = type;
        this.text = text;
    }

    static Token structural(byte b) {
        switch (b) {
            case '{': return LCURLY;
            case '}': return RCURLY;
            case '[': return LSQUARE;
            case ']': return RSQUARE;
            case ':': return COLON;
            case ',': return COMMA;
            default: throw new IllegalArgumentException("not structural: " + b);
        }
    }

    String textAsString() {
        return new String(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return type + " " + textAsString();
    }
}
