package org.jqga.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Integer literals get qemu's types (int64, else uint64, else double) in time linear in their digits. */
class IntegerLiteralTest {
    private static JsonArray parse(String text) {
        Framer framer = new Framer(FramerLimits.QEMU);
        List<Frame> frames = new ArrayList<>();
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        framer.feed(bytes, 0, bytes.length, frames::add);
        assertEquals(1, frames.size());
        return assertInstanceOf(Frame.Value.class, frames.get(0)).json().getAsJsonArray();
    }

    private static Number number(String literal) {
        return parse("[" + literal + "]").get(0).getAsNumber();
    }

    @Test
    void eachRangeGetsQemusType() {
        assertEquals(999_999_999_999_999_999L, number("999999999999999999"));
        assertEquals(Long.MAX_VALUE, number("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, number("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), number("9223372036854775808"));
        assertEquals(new BigInteger("18446744073709551615"), number("18446744073709551615"));
        assertEquals(1.8446744073709552E19, number("18446744073709551616"));
        assertEquals(-9.223372036854775808E18, number("-9223372036854775809"));
        assertEquals(1e20, number("100000000000000000000"));
        assertEquals(-1e20, number("-100000000000000000000"));
        assertEquals(0L, number("-0"));
        assertEquals(-7L, number("-7"));
    }

    /**
     * Sixteen literals of 1 MiB digits in one 16 MiB request, each beyond every integer type: a double, infinite
     * as qemu's strtod makes it. The timeout only guards against a hang (quadratic parsing needed 44 s for one).
     */
    @Test
    void megabyteLiteralsAreInfiniteDoubles() {
        String digits = "9".repeat(1 << 20);
        StringBuilder request = new StringBuilder("[");
        for (int i = 0; i < 16; i++) {
            request.append(i == 0 ? "" : ",").append(i % 2 == 0 ? "" : "-").append(digits);
        }
        String text = request.append("]").toString();
        JsonArray values = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> parse(text));
        assertEquals(16, values.size());
        for (int i = 0; i < 16; i++) {
            JsonPrimitive v = values.get(i).getAsJsonPrimitive();
            assertEquals(i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, v.getAsDouble(),
                    "literal " + i);
        }
    }
}
