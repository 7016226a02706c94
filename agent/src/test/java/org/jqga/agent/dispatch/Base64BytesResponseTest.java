package org.jqga.agent.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.annotations.SerializedName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jqga.agent.commands.Wire;
import org.junit.jupiter.api.Test;

/** Bytes encoded straight into the response line come out exactly as a string member would (QDict order kept). */
class Base64BytesResponseTest {
    record Payload(long count, @SerializedName("buf-b64") Base64Bytes bufB64, List<Base64Bytes> more) {
    }

    private static Command<NoArguments> returning(String name, Object result, boolean delimited) {
        CommandSpec<NoArguments> spec = delimited ? CommandSpec.of(name, NoArguments.class).delimited()
                : CommandSpec.of(name, NoArguments.class);
        return new Command<>() {
            @Override
            public CommandSpec<NoArguments> spec() {
                return spec;
            }

            @Override
            public Object execute(NoArguments arguments) {
                return result;
            }
        };
    }

    private static Base64Bytes bytes(String text, int offset) {
        byte[] b = ("xx" + text).getBytes(StandardCharsets.US_ASCII);
        return new Base64Bytes(b, offset + 2, text.length() - offset);
    }

    @Test
    void holesAreFilledInOrderWithTheRightBytes() {
        Payload p = new Payload(5, bytes("hello", 0), List.of(bytes("abc", 1), Base64Bytes.EMPTY));
        Wire wire = new Wire(returning("t", p, false));
        assertEquals("{\"return\": {\"count\": 5, \"more\": [\"YmM=\", \"\"], \"buf-b64\": \"aGVsbG8=\"}, "
                + "\"id\": \"base64\"}\n", wire.send("{\"execute\":\"t\",\"id\":\"base64\"}").orElseThrow());
    }

    @Test
    void aStringThatLooksLikeAMarkerIsJustAString() {
        record Mixed(String text, @SerializedName("buf-b64") Base64Bytes buf) {
        }
        Wire wire = new Wire(returning("t", new Mixed("base64", bytes("hi", 0)), false));
        assertEquals("{\"return\": {\"text\": \"base64\", \"buf-b64\": \"aGk=\"}}\n",
                wire.send("{\"execute\":\"t\"}").orElseThrow());
    }

    @Test
    void delimitedResponsesKeepTheirLeadingByte() {
        Wire wire = new Wire(returning("t", new Payload(1, bytes("a", 0), List.of()), true));
        assertEquals("\u00ff{\"return\": {\"count\": 1, \"more\": [], \"buf-b64\": \"YQ==\"}}\n",
                wire.send("{\"execute\":\"t\"}").orElseThrow());
    }

    @Test
    void equalityIsByContent() {
        assertEquals(Base64Bytes.ofText("aGk="), bytes("hi", 0));
        assertEquals(4, bytes("hi", 0).encodedLength());
    }
}
