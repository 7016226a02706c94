package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.jqga.agent.dispatch.CommandException;
import org.junit.jupiter.api.Test;

class Base64DataTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesPaddedBase64() throws Exception {
        assertArrayEquals(ascii("Hello World!\n\0"), Base64Data.decode("SGVsbG8gV29ybGQhCgA="));
        assertArrayEquals(ascii("hello"), Base64Data.decode("aGVsbG8="));
    }

    @Test
    void dropsAnIncompleteTrailingGroupAsGlibDoes() throws Exception {
        assertArrayEquals(ascii("hel"), Base64Data.decode("aGVsbG8"));
    }

    @Test
    void skipsNewlines() throws Exception {
        assertArrayEquals(ascii("hello"), Base64Data.decode("aGVs\nbG8=\n"));
    }

    @Test
    void endsAtNulLikeTheCStringItIsInQemuGa() throws Exception {
        assertArrayEquals(ascii("hel"), Base64Data.decode("aGVs\0!!!!"));
    }

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        for (String bad : new String[] {"!!!", "aGVs bG8=", "aGVs\rbG8=", "aGVs-bG8=", "\u00e9"}) {
            CommandException e = assertThrows(CommandException.class, () -> Base64Data.decode(bad), bad);
            assertEquals("Base64 data contains invalid characters", e.getMessage());
        }
    }

    @Test
    void encodeAndDecodeRoundTripArbitraryBytes() throws Exception {
        Random r = new Random(42);
        for (int len = 0; len < 70; len++) {
            byte[] data = new byte[len];
            r.nextBytes(data);
            assertArrayEquals(data, Base64Data.decode(Base64Data.encode(data, 0, len)), "length " + len);
        }
        assertEquals("", Base64Data.encode(new byte[0], 0, 0));
    }
}
