package org.jqga.agent.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.List;

/**
 * Turns one message's tokens into a Gson tree with qemu-ga's semantics and error texts: integers that fit int64
 * become {@link Long}, larger non-negative ones {@link BigInteger} (uint64), the rest {@link Double}; duplicate
 * keys are an error; strings are validated as (modified) UTF-8. The first error wins, as in QEMU's parser.
 */
final class JsonTextParser {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A syntax error; the message is the complete {@code desc}. */
    static final class ParseError extends Exception {
        ParseError(String message) {
            super("JSON parse error, " + message, null, false, false);
        }
    }

    private final List<Token> tokens;
    private int pos;

    private JsonTextParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static JsonElement parse(List<Token> tokens) throws ParseError {
        JsonTextParser p = new JsonTextParser(tokens);
        return p.value();
    }

    private Token peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private Token pop() throws ParseError {
        if (pos >= tokens.size()) {
            throw new ParseError("premature EOI");
        }
        return tokens.get(pos++);
    }

    private JsonElement value() throws ParseError {
        Token t = peek();
        if (t == null) {
            throw new ParseError("premature EOI");
        }
        switch (t.type) {
            case LCURLY:
                return object();
            case LSQUARE:
                return array();
            case STRING:
                pos++;
                return new JsonPrimitive(JsonStrings.decode(t.text));
            case INTEGER:
                pos++;
                return integer(t.textAsString());
            case FLOAT:
                pos++;
                return new JsonPrimitive(Double.parseDouble(t.textAsString()));
            case KEYWORD:
                pos++;
                return keyword(t.textAsString());
            default:
                throw new ParseError("expecting value");
        }
    }

    private static JsonElement keyword(String word) throws ParseError {
        switch (word) {
            case "true": return new JsonPrimitive(true);
            case "false": return new JsonPrimitive(false);
            case "null": return JsonNull.INSTANCE;
            default: throw new ParseError("invalid keyword '" + word + "'");
        }
    }

    private static JsonElement integer(String text) {
        BigInteger v = new BigInteger(text);
        if (v.bitLength() < 64) {
            return new JsonPrimitive(v.longValue());
        }
        if (v.signum() >= 0 && v.compareTo(UINT64_MAX) <= 0) {
            return new JsonPrimitive(v);
        }
        return new JsonPrimitive(Double.parseDouble(text));
    }

    private JsonObject object() throws ParseError {
        JsonObject obj = new JsonObject();
        pop(); // {
        Token t = peek();
        if (t == null) {
            throw new ParseError("premature EOI");
        }
        if (t.type == Token.Type.RCURLY) {
            pos++;
            return obj;
        }
        pair(obj);
        t = pop();
        while (t.type != Token.Type.RCURLY) {
            if (t.type != Token.Type.COMMA) {
                throw new ParseError("expected separator in dict");
            }
            pair(obj);
            t = pop();
        }
        return obj;
    }

    private void pair(JsonObject obj) throws ParseError {
        JsonElement key = value();
        if (!key.isJsonPrimitive() || !key.getAsJsonPrimitive().isString()) {
            throw new ParseError("key is not a string in object");
        }
        if (pop().type != Token.Type.COLON) {
            throw new ParseError("missing : in object pair");
        }
        if (peek() == null) {
            throw new ParseError("Missing value in dict");
        }
        JsonElement value = value();
        String name = key.getAsString();
        if (obj.has(name)) {
            throw new ParseError("duplicate key");
        }
        obj.add(name, value);
    }

    private JsonArray array() throws ParseError {
        JsonArray arr = new JsonArray();
        pop(); // [
        Token t = peek();
        if (t == null) {
            throw new ParseError("premature EOI");
        }
        if (t.type == Token.Type.RSQUARE) {
            pos++;
            return arr;
        }
        arr.add(value());
        t = pop();
        while (t.type != Token.Type.RSQUARE) {
            if (t.type != Token.Type.COMMA) {
                throw new ParseError("expected separator in list");
            }
            arr.add(value());
            t = pop();
        }
        return arr;
    }
}
