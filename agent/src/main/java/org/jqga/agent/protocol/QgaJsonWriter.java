package org.jqga.agent.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Renders JSON exactly as QEMU's {@code qobject_to_json}: {@code ", "} and {@code ": "} separators, keys in
 * {@link QDictOrder}, non-ASCII and control characters as upper-case {@code \\uXXXX}, doubles as {@code %.17g}.
 */
public final class QgaJsonWriter {
    private QgaJsonWriter() {
    }

    public static String write(JsonElement e) {
        StringBuilder sb = new StringBuilder(64);
        write(e, sb);
        return sb.toString();
    }

    public static void write(JsonElement e, StringBuilder sb) {
        write(e, sb, null);
    }

    /**
     * Leaves room for values that are written later, straight into the output bytes (see {@code Dispatcher}): a
     * string primitive that {@code holes} claims is written as {@code ""}, and {@code holes} is told the position
     * between the quotes.
     */
    public interface Holes {
        /** Whether {@code value} is a hole; if so, its text goes at {@code position} of the finished text. */
        boolean claim(String value, int position);
    }

    /**
     * Iterative, with the open containers on a heap stack: a request's {@code id} comes back as deep as the parser
     * admitted it ({@code --max-nesting}), whatever the thread's stack.
     */
    public static void write(JsonElement e, StringBuilder sb, Holes holes) {
        Deque<Open> open = new ArrayDeque<>();
        Open top = begin(e, sb, holes);
        if (top == null) {
            return;
        }
        open.push(top);
        while (!open.isEmpty()) {
            top = open.peek();
            if (!top.members.hasNext()) {
                sb.append(top.close);
                open.pop();
                continue;
            }
            if (!top.first) {
                sb.append(", ");
            }
            top.first = false;
            Object member = top.members.next();
            JsonElement value;
            if (member instanceof Map.Entry<?, ?> m) {
                string((String) m.getKey(), sb);
                sb.append(": ");
                value = (JsonElement) m.getValue();
            } else {
                value = (JsonElement) member;
            }
            Open inner = begin(value, sb, holes);
            if (inner != null) {
                open.push(inner);
            }
        }
    }

    /** A container being written: its members (map entries of an object, elements of an array) still to go. */
    private static final class Open {
        final Iterator<?> members;
        final char close;
        boolean first = true;

        Open(Iterator<?> members, char close) {
            this.members = members;
            this.close = close;
        }
    }

    /** Writes a scalar whole and returns null, or the opening bracket of a container and returns it. */
    private static Open begin(JsonElement e, StringBuilder sb, Holes holes) {
        if (e == null || e.isJsonNull()) {
            sb.append("null");
        } else if (e.isJsonObject()) {
            sb.append('{');
            return new Open(QDictOrder.entries(e.getAsJsonObject()).iterator(), '}');
        } else if (e.isJsonArray()) {
            sb.append('[');
            return new Open(e.getAsJsonArray().iterator(), ']');
        } else {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isString()) {
                String value = p.getAsString();
                if (holes != null && holes.claim(value, sb.length() + 1)) {
                    sb.append("\"\"");
                } else {
                    string(value, sb);
                }
            } else if (p.isBoolean()) {
                sb.append(p.getAsBoolean() ? "true" : "false");
            } else {
                number(p.getAsNumber(), sb);
            }
        }
        return null;
    }

    private static void number(Number n, StringBuilder sb) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            sb.append(n);
        } else if (n instanceof OutOfRangeNumber literal) {
            sb.append(literal.literal());
        } else if (n instanceof Double || n instanceof Float) {
            sb.append(formatDouble(n.doubleValue()));
        } else {
            // Gson's LazilyParsedNumber and other Number types: integral text stays as is.
            String s = n.toString();
            if (s.matches("-?\\d+")) {
                sb.append(s);
            } else {
                sb.append(formatDouble(n.doubleValue()));
            }
        }
    }

    /**
     * C's {@code printf("%.17g")} for finite values. A computed NaN or infinity is written as {@code null}: QEMU
     * writes {@code nan}/{@code inf}, which is not JSON and makes a strict host parser drop the whole reply.
     */
    static String formatDouble(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(17));
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            BigDecimal mantissa = bd.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.toPlainString();
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return m + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        return bd.stripTrailingZeros().toPlainString();
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c >= 0x20 && c < 0x7F) {
                        sb.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        hex(c, sb);
                        hex(s.charAt(++i), sb);
                    } else if (Character.isSurrogate(c)) {
                        hex('\uFFFD', sb); // a lone surrogate is not valid UTF-8
                    } else {
                        hex(c, sb);
                    }
            }
        }
        sb.append('"');
    }

    private static void hex(char c, StringBuilder sb) {
        sb.append("\\u");
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        for (int k = h.length(); k < 4; k++) {
            sb.append('0');
        }
        sb.append(h);
    }
}
