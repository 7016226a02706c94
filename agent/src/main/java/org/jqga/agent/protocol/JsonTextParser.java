package org.jqga.agent.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Turns one message's tokens into a Gson tree with qemu-ga's semantics and error texts: integers that fit int64
 * become {@link Long}, larger non-negative ones {@link BigInteger} (uint64), the rest {@link Double} (or
 * {@link OutOfRangeNumber} beyond a double's range); duplicate
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

    /** A container being filled: an array, or an object with the key whose value comes next (null: a key comes). */
    private static final class Open {
        final JsonArray array;
        final JsonObject object;
        String key;

        Open(JsonArray array, JsonObject object) {
            this.array = array;
            this.object = object;
        }
    }

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

    /**
     * One value. Iterative, with the open containers on a heap stack: the depth is bounded only by
     * {@link FramerLimits#maxDepth()}, never by the thread's stack (a recursive descent overflowed 512k stacks
     * below qemu-ga's 1024 levels). Errors are found in the order QEMU's recursive parser finds them: a key is
     * parsed as a whole value before it is checked to be a string, a duplicate key only after its value.
     */
    private JsonElement value() throws ParseError {
        Deque<Open> open = new ArrayDeque<>();
        while (true) {
            JsonElement done = startValue(open);
            // Hand finished values to their containers until one needs another value.
            while (done != null) {
                Open parent = open.peek();
                if (parent == null) {
                    return done;
                }
                done = parent.array != null ? addToArray(parent, done) : addToObject(parent, done);
                if (done != null) {
                    open.pop();
                }
            }
        }
    }

    /** Lexes the start of a value: a scalar or empty container is returned, a container opened is pushed. */
    private JsonElement startValue(Deque<Open> open) throws ParseError {
        Token t = peek();
        if (t == null) {
            throw new ParseError("premature EOI");
        }
        pos++;
        switch (t.type) {
            case LCURLY:
                if (closesAtOnce(Token.Type.RCURLY)) {
                    return new JsonObject();
                }
                open.push(new Open(null, new JsonObject()));
                return null;
            case LSQUARE:
                if (closesAtOnce(Token.Type.RSQUARE)) {
                    return new JsonArray();
                }
                open.push(new Open(new JsonArray(), null));
                return null;
            case STRING:
                return new JsonPrimitive(JsonStrings.decode(t.text));
            case INTEGER:
                return integer(t.textAsString());
            case FLOAT:
                return floating(t.textAsString());
            case KEYWORD:
                return keyword(t.textAsString());
            default:
                throw new ParseError("expecting value");
        }
    }

    /** After an opening bracket: whether {@code close} follows at once (consumed); EOI is an error. */
    private boolean closesAtOnce(Token.Type close) throws ParseError {
        Token t = peek();
        if (t == null) {
            throw new ParseError("premature EOI");
        }
        if (t.type == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** Adds an element; returns the array if this closed it, null if another element follows. */
    private JsonElement addToArray(Open list, JsonElement element) throws ParseError {
        list.array.add(element);
        Token t = pop();
        if (t.type == Token.Type.RSQUARE) {
            return list.array;
        }
        if (t.type != Token.Type.COMMA) {
            throw new ParseError("expected separator in list");
        }
        return null;
    }

    /** Takes a key or a member's value; returns the object if this closed it, null if a value or key follows. */
    private JsonElement addToObject(Open dict, JsonElement element) throws ParseError {
        if (dict.key == null) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new ParseError("key is not a string in object");
            }
            if (pop().type != Token.Type.COLON) {
                throw new ParseError("missing : in object pair");
            }
            if (peek() == null) {
                throw new ParseError("Missing value in dict");
            }
            dict.key = element.getAsString();
            return null;
        }
        if (dict.object.has(dict.key)) {
            throw new ParseError("duplicate key");
        }
        dict.object.add(dict.key, element);
        dict.key = null;
        Token t = pop();
        if (t.type == Token.Type.RCURLY) {
            return dict.object;
        }
        if (t.type != Token.Type.COMMA) {
            throw new ParseError("expected separator in dict");
        }
        return null;
    }

    private static JsonElement keyword(String word) throws ParseError {
        switch (word) {
            case "true": return new JsonPrimitive(true);
            case "false": return new JsonPrimitive(false);
            case "null": return JsonNull.INSTANCE;
            default: throw new ParseError("invalid keyword '" + word + "'");
        }
    }

    /**
     * An integer token (the lexer admits only {@code -?(0|[1-9][0-9]*)}) as qemu's parser types it: int64, else
     * uint64, else double. Linear in the digits: the range is decided by the digit count before any
     * {@link BigInteger} is made, since {@code new BigInteger} is quadratic (a 1 MiB literal took 44 s of CPU).
     */
    private static JsonElement integer(String text) {
        int digits = text.length() - (text.charAt(0) == '-' ? 1 : 0);
        if (digits <= 18) { // below 10^18: always an int64
            return new JsonPrimitive(Long.parseLong(text));
        }
        if (digits <= 20) { // the only lengths that may hold an int64 or uint64 beyond 10^18
            BigInteger v = new BigInteger(text);
            if (v.bitLength() < 64) {
                return new JsonPrimitive(v.longValue());
            }
            if (v.signum() >= 0 && v.compareTo(UINT64_MAX) <= 0) {
                return new JsonPrimitive(v);
            }
        }
        // Beyond uint64: a double, as qemu's strtod makes it (Double.parseDouble reads a long literal linearly).
        return floating(text);
    }

    /**
     * A number read as a double, as qemu's {@code strtod}; one beyond a double's range keeps its literal (see
     * {@link OutOfRangeNumber}) so that an echoed {@code id} is still JSON.
     */
    private static JsonElement floating(String text) {
        double d = Double.parseDouble(text);
        return new JsonPrimitive(Double.isInfinite(d) ? new OutOfRangeNumber(text, d) : d);
    }
}
