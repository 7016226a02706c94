package org.jqga.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers beyond a double's range are infinite to commands, as qemu-ga's strtod makes them, but are written back
 * as the literal that was sent: qemu-ga writes {@code inf}, which is not JSON. A computed non-finite double, which
 * has no literal, is written as {@code null}.
 */
class OutOfRangeNumberTest {
    private static JsonPrimitive parseOne(String literal) {
        Framer framer = new Framer(FramerLimits.QEMU);
        List<Frame> frames = new ArrayList<>();
        byte[] bytes = ("[" + literal + "]").getBytes(StandardCharsets.US_ASCII);
        framer.feed(bytes, 0, bytes.length, frames::add);
        assertEquals(1, frames.size());
        JsonArray array = assertInstanceOf(Frame.Value.class, frames.get(0)).json().getAsJsonArray();
        return array.get(0).getAsJsonPrimitive();
    }

    @ParameterizedTest
    @CsvSource({
        "1e400, Infinity",
        "-1e400, -Infinity",
        "1.5E+309, Infinity",
        "-0.1e99999, -Infinity",
    })
    void floatsBeyondRangeAreInfiniteAndEchoedAsSent(String literal, double expected) {
        JsonPrimitive p = parseOne(literal);
        assertEquals(expected, p.getAsDouble());
        assertEquals(literal, QgaJsonWriter.write(p));
    }

    @ParameterizedTest
    @ValueSource(ints = {309, 400, 4096})
    void integersBeyondRangeAreInfiniteAndEchoedAsSent(int digits) {
        String positive = "9".repeat(digits);
        String negative = "-" + positive;
        assertEquals(Double.POSITIVE_INFINITY, parseOne(positive).getAsDouble());
        assertEquals(positive, QgaJsonWriter.write(parseOne(positive)));
        assertEquals(Double.NEGATIVE_INFINITY, parseOne(negative).getAsDouble());
        assertEquals(negative, QgaJsonWriter.write(parseOne(negative)));
    }

    /** A finite double, underflow to a signed zero included, gets qemu-ga's %.17g text, not its literal. */
    @ParameterizedTest
    @CsvSource({
        "1e308, 1e+308",
        "1e-400, 0",
        "-1e-400, -0",
        "1E3, 1000",
    })
    void numbersInRangeAreWrittenAsQemuGaWritesThem(String literal, String written) {
        assertEquals(written, QgaJsonWriter.write(parseOne(literal)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void computedNonFiniteDoublesAreWrittenAsNull(double value) {
        JsonArray array = new JsonArray();
        array.add(value);
        array.add(1.5);
        assertEquals("[null, 1.5]", QgaJsonWriter.write(array));
    }
}
