package org.jqga.agent.protocol;

/**
 * A JSON number whose magnitude is beyond a double's range ({@code 1e400}, a 400-digit integer), kept with the
 * literal it was sent as. Commands see it as qemu-ga's {@code strtod} makes it, an infinity; the writer echoes
 * the literal, where qemu-ga writes the non-JSON token {@code inf} that a strict host parser rejects. (Underflow,
 * {@code 1e-400}, is an ordinary double zero in both agents.)
 */
final class OutOfRangeNumber extends Number {
    private static final long serialVersionUID = 1L;

    private final String literal;
    private final double value;

    OutOfRangeNumber(String literal, double value) {
        this.literal = literal;
        this.value = value;
    }

    /** The number as it was written in the request, already valid JSON. */
    String literal() {
        return literal;
    }

    @Override
    public double doubleValue() {
        return value;
    }

    @Override
    public float floatValue() {
        return (float) value;
    }

    /** As a Java narrowing conversion of the double: saturated at the type's bounds. */
    @Override
    public long longValue() {
        return (long) value;
    }

    @Override
    public int intValue() {
        return (int) value;
    }

    @Override
    public String toString() {
        return literal;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutOfRangeNumber other && other.literal.equals(literal);
    }

    @Override
    public int hashCode() {
        return literal.hashCode();
    }
}
