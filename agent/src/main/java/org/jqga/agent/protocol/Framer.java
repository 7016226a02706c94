package org.jqga.agent.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits a QGA byte stream into JSON texts, reproducing qemu-ga's lexer and streamer.
 *
 * <p>Bytes may arrive cut at any offset; state carries over between {@link #feed} calls. A text is complete when
 * its brackets balance (so a top-level scalar, or a stray {@code }}, is a message of its own). Any byte that
 * cannot continue a token, including 0xFF, discards the message in progress, reports
 * {@code JSON parse error, stray '...'} and skips to the next structural or control byte: this is how a client
 * resynchronises. A message that exceeds a {@link FramerLimits} limit is reported once with qemu-ga's error text
 * and skipped up to its closing bracket, so the next request is served intact (qemu-ga parses the remainder as
 * new input; see {@link #overLimit}).
 *
 * <p>Not thread-safe: one framer per byte stream.
 */
public final class Framer {
    private enum State {
        START, DQ_STRING, DQ_ESCAPE, SQ_STRING, SQ_ESCAPE, ZERO, NONZERO, NEGATIVE, MANTISSA, MANTISSA_DIGITS,
        EXP_E, EXP_SIGN, EXP_DIGITS, KEYWORD, RECOVERY
    }

    private final FramerLimits limits;
    private final MessageBudget budget;
    /** Request bytes beyond {@link MessageBudget#FREE_BYTES} that this framer's reservation covers. */
    private long reservedBytes;
    private ByteArrayOutputStream token = new ByteArrayOutputStream();
    private State state = State.START;

    private List<Token> tokens = new ArrayList<>();
    private long tokenBytes;
    private int braces;
    private int brackets;
    /** While positive, the open brackets of an over-limit message whose remaining tokens are skipped. */
    private int discardDepth;
    /** Why the token being lexed is no longer stored (over the size limit, or the budget); null while it is. */
    private String tokenOverflow;

    public Framer(FramerLimits limits) {
        this(limits, MessageBudget.unlimited());
    }

    public Framer(FramerLimits limits, MessageBudget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** Feeds {@code len} bytes; every complete frame is passed to {@code out} in stream order. */
    public void feed(byte[] buf, int off, int len, Consumer<Frame> out) {
        for (int i = off; i < off + len; i++) {
            feedByte(buf[i], out);
        }
    }

    /** Whether a message has begun and not yet completed (bytes would be lost if the stream ended now). */
    public boolean midMessage() {
        return !tokens.isEmpty() || discardDepth > 0 || (state != State.START && state != State.RECOVERY);
    }

    /**
     * Forgets any partial message, as after a 0xFF, but without reporting an error, and gives back its share of the
     * {@link MessageBudget}: a session calls this when its connection ends.
     */
    public void reset() {
        clearToken();
        tokenOverflow = null;
        discardDepth = 0;
        state = State.START;
        resetStreamer();
        releaseBudget();
    }

    private void feedByte(byte b, Consumer<Frame> out) {
        int c = b & 0xFF;
        boolean consumed;
        do {
            consumed = true;
            switch (state) {
                case START:
                    start(b, c, out);
                    break;
                case DQ_STRING:
                case SQ_STRING:
                    if (c < 0x20 || c > 0xFD) {
                        lexError(b, out);
                    } else {
                        token.write(c);
                        if (c == '\\') {
                            state = state == State.DQ_STRING ? State.DQ_ESCAPE : State.SQ_ESCAPE;
                        } else if (c == (state == State.DQ_STRING ? '"' : '\'')) {
                            emitToken(Token.Type.STRING, out);
                        }
                    }
                    break;
                case DQ_ESCAPE:
                case SQ_ESCAPE:
                    if (c < 0x20 || c > 0xFD) {
                        lexError(b, out);
                    } else {
                        token.write(c);
                        state = state == State.DQ_ESCAPE ? State.DQ_STRING : State.SQ_STRING;
                    }
                    break;
                case ZERO:
                    if (isDigit(c)) {
                        lexError(b, out);
                    } else if (c == '.') {
                        accept(c, State.MANTISSA);
                    } else {
                        consumed = terminal(Token.Type.INTEGER, b, c, out);
                    }
                    break;
                case NONZERO:
                    if (isDigit(c)) {
                        token.write(c);
                    } else if (c == 'e' || c == 'E') {
                        accept(c, State.EXP_E);
                    } else if (c == '.') {
                        accept(c, State.MANTISSA);
                    } else {
                        consumed = terminal(Token.Type.INTEGER, b, c, out);
                    }
                    break;
                case NEGATIVE:
                    if (c == '0') {
                        accept(c, State.ZERO);
                    } else if (c >= '1' && c <= '9') {
                        accept(c, State.NONZERO);
                    } else {
                        lexError(b, out);
                    }
                    break;
                case MANTISSA:
                    if (isDigit(c)) {
                        accept(c, State.MANTISSA_DIGITS);
                    } else {
                        lexError(b, out);
                    }
                    break;
                case MANTISSA_DIGITS:
                    if (isDigit(c)) {
                        token.write(c);
                    } else if (c == 'e' || c == 'E') {
                        accept(c, State.EXP_E);
                    } else {
                        consumed = terminal(Token.Type.FLOAT, b, c, out);
                    }
                    break;
                case EXP_E:
                    if (c == '+' || c == '-') {
                        accept(c, State.EXP_SIGN);
                    } else if (isDigit(c)) {
                        accept(c, State.EXP_DIGITS);
                    } else {
                        lexError(b, out);
                    }
                    break;
                case EXP_SIGN:
                    if (isDigit(c)) {
                        accept(c, State.EXP_DIGITS);
                    } else {
                        lexError(b, out);
                    }
                    break;
                case EXP_DIGITS:
                    if (isDigit(c)) {
                        token.write(c);
                    } else {
                        consumed = terminal(Token.Type.FLOAT, b, c, out);
                    }
                    break;
                case KEYWORD:
                    if (c >= 'a' && c <= 'z') {
                        token.write(c);
                    } else {
                        consumed = terminal(Token.Type.KEYWORD, b, c, out);
                    }
                    break;
                case RECOVERY:
                    // Skip to a promising resynchronisation point, which is then lexed normally.
                    if (isStructural(c) || (c < 0x20 && c != '\t') || c >= 0xFE) {
                        state = State.START;
                        consumed = false;
                    }
                    break;
                default:
                    throw new IllegalStateException(state.toString());
            }
        } while (!consumed);

        if (tokenOverflow != null) {
            if (token.size() > MessageBudget.FREE_BYTES) {
                clearToken(); // a token already refused is lexed to its end but not stored
            }
        } else if (tokenBytes + token.size() > limits.maxMessageBytes()) {
            // A single token may not grow without bound. qemu-ga flushes it and lexes the rest as new input, which
            // turns the remainder of an oversized string inside out (its closing quote opens a new string) and
            // garbles the requests after it. We keep lexing the token, store none of it, and report the message
            // once when the token ends. A token that only the message's earlier tokens push over the limit is
            // already doomed to the same error (the streamer's check below), so it is not stored either: a framer
            // never holds more than the limit, which is what bounds its budget reservation.
            clearToken();
            tokenOverflow = "JSON token size limit exceeded";
        } else if (tokenBytes + token.size() > coveredBytes()) {
            long held = tokenBytes + token.size();
            if (!reserveFor(held)) {
                // Give back what this message held at once, so that the other large requests can complete.
                tokenOverflow = budget.refusal(held, reservedBytes * MessageBudget.COST_PER_BYTE);
                clearToken();
                releaseBudget();
            }
        }
    }

    /** Request bytes this framer may hold with what it has reserved. */
    private long coveredBytes() {
        return MessageBudget.FREE_BYTES + reservedBytes;
    }

    /** Grows the reservation to cover {@code bytes} held; false (and nothing more reserved) when it cannot. */
    private boolean reserveFor(long bytes) {
        long chunks = (bytes - MessageBudget.FREE_BYTES + MessageBudget.CHUNK - 1) / MessageBudget.CHUNK;
        long want = chunks * MessageBudget.CHUNK;
        if (!budget.tryReserve((want - reservedBytes) * MessageBudget.COST_PER_BYTE,
                reservedBytes * MessageBudget.COST_PER_BYTE, maxReservation())) {
            return false;
        }
        reservedBytes = want;
        return true;
    }

    /** Budget bytes that a request of the size limit reserves: the most this framer ever holds. */
    private long maxReservation() {
        long beyondFree = Math.max(0, limits.maxMessageBytes() - MessageBudget.FREE_BYTES);
        return (beyondFree + MessageBudget.CHUNK - 1) / MessageBudget.CHUNK * MessageBudget.CHUNK
                * MessageBudget.COST_PER_BYTE;
    }

    private void releaseBudget() {
        if (reservedBytes > 0) {
            budget.release(reservedBytes * MessageBudget.COST_PER_BYTE);
            reservedBytes = 0;
        }
    }

    /** Empties the token buffer, dropping a large one's array rather than keeping it for the session's lifetime. */
    private void clearToken() {
        if (token.size() > MessageBudget.FREE_BYTES) {
            token = new ByteArrayOutputStream();
        } else {
            token.reset();
        }
    }

    private void start(byte b, int c, Consumer<Frame> out) {
        switch (c) {
            case ' ': case '\t': case '\r': case '\n':
                return;
            case '"':
                accept(c, State.DQ_STRING);
                return;
            case '\'':
                accept(c, State.SQ_STRING);
                return;
            case '0':
                accept(c, State.ZERO);
                return;
            case '-':
                accept(c, State.NEGATIVE);
                return;
            case '{': case '}': case '[': case ']': case ':': case ',':
                token(Token.structural(b), out);
                return;
            default:
                if (c >= '1' && c <= '9') {
                    accept(c, State.NONZERO);
                } else if (c >= 'a' && c <= 'z') {
                    accept(c, State.KEYWORD);
                } else {
                    lexError(b, out);
                }
        }
    }

    private void accept(int c, State next) {
        token.write(c);
        state = next;
    }

    /**
     * A byte that ends a number or keyword: ASCII ends the token and is lexed again from the start state; any
     * byte above 0x7F cannot follow a token and is a lexical error (qemu's TERMINAL covers 0x00-0x7F only).
     *
     * @return whether {@code b} was consumed
     */
    private boolean terminal(Token.Type type, byte b, int c, Consumer<Frame> out) {
        if (c > 0x7F) {
            lexError(b, out);
            return true;
        }
        emitToken(type, out);
        return false;
    }

    private void emitToken(Token.Type type, Consumer<Frame> out) {
        Token t = new Token(type, token.toByteArray());
        clearToken();
        state = State.START;
        if (tokenOverflow != null) {
            String why = tokenOverflow;
            tokenOverflow = null;
            if (discardDepth == 0) {
                overLimit(why, out);
                return;
            }
        }
        token(t, out);
    }

    private void lexError(byte b, Consumer<Frame> out) {
        if (discardDepth > 0 && b != (byte) 0xFF) {
            // Stray bytes inside a message already reported as over the limit: skip them without a second error.
            // A 0xFF is the client asking for a reset, so it ends the discarding below like any other message.
            clearToken();
            tokenOverflow = null;
            state = State.RECOVERY;
            return;
        }
        discardDepth = 0;
        tokenOverflow = null;
        token.write(b);
        byte[] text = token.toByteArray();
        clearToken();
        state = State.RECOVERY;
        emit(new Frame.Error("JSON parse error, stray '" + strayText(text) + "'"), out);
    }

    /** The token as qemu prints it: a C string (cut at NUL) decoded leniently, invalid UTF-8 shown as U+FFFD. */
    private static String strayText(byte[] text) {
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }

    /** The streamer: collects tokens until the brackets balance, enforcing the limits. */
    private void token(Token t, Consumer<Frame> out) {
        int depthChange = switch (t.type) {
            case LCURLY, LSQUARE -> 1;
            case RCURLY, RSQUARE -> -1;
            default -> 0;
        };
        if (discardDepth > 0) {
            discardDepth += depthChange;
            return;
        }
        switch (t.type) {
            case LCURLY: braces++; break;
            case RCURLY: braces--; break;
            case LSQUARE: brackets++; break;
            case RSQUARE: brackets--; break;
            default: break;
        }
        if (tokenBytes + t.text.length + 1 > limits.maxMessageBytes()) {
            overLimit("JSON token size limit exceeded", out);
            return;
        }
        if (tokens.size() + 1L > limits.maxTokens()) {
            overLimit("JSON token count limit exceeded", out);
            return;
        }
        if ((long) braces + brackets > limits.maxDepth()) {
            overLimit("JSON nesting depth limit exceeded", out);
            return;
        }
        tokens.add(t);
        tokenBytes += t.text.length;
        if ((braces > 0 || brackets > 0) && braces >= 0 && brackets >= 0) {
            return;
        }
        Frame frame;
        try {
            frame = new Frame.Value(JsonTextParser.parse(tokens));
        } catch (JsonTextParser.ParseError e) {
            frame = new Frame.Error(e.getMessage());
        }
        emit(frame, out);
    }

    /**
     * Reports a message over a limit once and skips the rest of it, up to the bracket that closes it. qemu-ga instead
     * parses the remainder as new messages, answering each fragment with an error of its own; one error per
     * oversized message is what a client can match to its request, and the request after it is served intact.
     */
    private void overLimit(String desc, Consumer<Frame> out) {
        int depth = braces + brackets;
        emit(new Frame.Error(desc), out);
        discardDepth = Math.max(depth, 0);
    }

    private void emit(Frame frame, Consumer<Frame> out) {
        resetStreamer();
        try {
            out.accept(frame);
        } finally {
            // The reservation covers the dispatch too: the request's decoded form lives until it is answered.
            releaseBudget();
        }
    }

    private void resetStreamer() {
        if (tokens.size() > 4096) {
            tokens = new ArrayList<>(); // do not keep a huge message's array alive
        } else {
            tokens.clear();
        }
        tokenBytes = 0;
        braces = 0;
        brackets = 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isStructural(int c) {
        return c == '[' || c == ']' || c == '{' || c == '}' || c == ':' || c == ',';
    }
}
