package org.jqga.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramerTest {
    private static final String PING = "{\"execute\":\"guest-ping\"}";
    private static final byte[] FF = {(byte) 0xFF};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<Frame> frame(FramerLimits limits, byte[]... chunks) {
        Framer framer = new Framer(limits);
        List<Frame> frames = new ArrayList<>();
        for (byte[] c : chunks) {
            framer.feed(c, 0, c.length, frames::add);
        }
        return frames;
    }

    private static List<Frame> frame(byte[]... chunks) {
        return frame(FramerLimits.QEMU, chunks);
    }

    private static JsonElement value(Frame f) {
        return assertInstanceOf(Frame.Value.class, f, () -> "expected a value, got " + f).json();
    }

    private static String error(Frame f) {
        return assertInstanceOf(Frame.Error.class, f, () -> "expected an error, got " + f).desc();
    }

    @Test
    void aRequestSplitAtEveryByteOffsetIsOneMessage() {
        String text = "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":-12.5e3,\"s\":\"a\\\"b\\u00e9}\",\"t\":true}}";
        byte[] all = bytes(text);
        JsonElement expected = JsonParser.parseString(text);
        for (int cut = 0; cut <= all.length; cut++) {
            byte[] head = java.util.Arrays.copyOfRange(all, 0, cut);
            byte[] tail = java.util.Arrays.copyOfRange(all, cut, all.length);
            List<Frame> frames = frame(head, tail);
            assertEquals(1, frames.size(), "cut at " + cut + ": " + frames);
            assertEquals(expected, value(frames.get(0)), "cut at " + cut);
        }
    }

    @Test
    void aRequestFedOneByteAtATimeIsOneMessage() {
        byte[] all = bytes(PING + PING);
        byte[][] single = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            single[i] = new byte[] {all[i]};
        }
        List<Frame> frames = frame(single);
        assertEquals(2, frames.size(), frames::toString);
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void aMultiByteCharacterSplitBetweenReadsSurvives() {
        byte[] all = bytes("{\"s\":\"\u00e9\u20ac\"}");
        int cut = all.length - 4; // inside the three bytes of the euro sign
        List<Frame> frames = frame(java.util.Arrays.copyOfRange(all, 0, cut),
                java.util.Arrays.copyOfRange(all, cut, all.length));
        assertEquals("\u00e9\u20ac", value(frames.get(0)).getAsJsonObject().get("s").getAsString());
    }

    @Test
    void bracesAndBracketsInsideStringsDoNotEndTheMessage() {
        List<Frame> frames = frame(bytes("{\"execute\":\"x\",\"arguments\":{\"buf\":\"}}]][[{\"}}" + PING));
        assertEquals(2, frames.size(), frames::toString);
        assertEquals("}}]][[{", value(frames.get(0)).getAsJsonObject().getAsJsonObject("arguments")
                .get("buf").getAsString());
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void escapedQuotesAndBackslashesStayInsideTheString() {
        List<Frame> frames = frame(bytes("{\"a\":\"say \\\"}\\\" now\",\"b\":\"ends in \\\\\"}"));
        assertEquals(1, frames.size(), frames::toString);
        assertEquals("say \"}\" now", value(frames.get(0)).getAsJsonObject().get("a").getAsString());
        assertEquals("ends in \\", value(frames.get(0)).getAsJsonObject().get("b").getAsString());
    }

    @Test
    void singleQuotedStringsAreAcceptedAsQemuDoes() {
        List<Frame> frames = frame(bytes("{'execute':'guest-ping','x':'it\\'s }'}"));
        assertEquals("it's }", value(frames.get(0)).getAsJsonObject().get("x").getAsString());
    }

    @Test
    void aDelimiterByteInTheMiddleOfARequestDropsItAndTheNextRequestIsServed() {
        List<Frame> frames = frame(concat(bytes("{\"execute\":\"guest-sy"), FF, bytes(PING)));
        assertEquals(2, frames.size(), frames::toString);
        assertTrue(error(frames.get(0)).startsWith("JSON parse error, stray"), frames::toString);
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void aDelimiterByteInsideAStringAlsoResets() {
        List<Frame> frames = frame(concat(bytes("{\"execute\":\"gue"), FF), bytes(PING));
        assertEquals(2, frames.size(), frames::toString);
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void resetForgetsAPartialMessageWithoutAnError() {
        Framer framer = new Framer(FramerLimits.QEMU);
        List<Frame> frames = new ArrayList<>();
        byte[] partial = bytes("{\"execute\":[1,");
        framer.feed(partial, 0, partial.length, frames::add);
        assertTrue(framer.midMessage());
        framer.reset();
        assertFalse(framer.midMessage());
        byte[] ping = bytes(PING);
        framer.feed(ping, 0, ping.length, frames::add);
        assertEquals(1, frames.size(), frames::toString);
        assertEquals(JsonParser.parseString(PING), value(frames.get(0)));
    }

    @Test
    void malformedJsonIsOneErrorAndParsingResumes() {
        List<Frame> frames = frame(bytes("{\"a\" 1}" + PING));
        assertEquals(List.of("JSON parse error, missing : in object pair"), List.of(error(frames.get(0))));
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void aStrayByteIsNamedAndParsingResumesAtTheNextRequest() {
        List<Frame> frames = frame(bytes("@@@" + PING));
        assertEquals("JSON parse error, stray '@'", error(frames.get(0)));
        assertEquals(JsonParser.parseString(PING), value(frames.get(frames.size() - 1)));
    }

    @Test
    void anOversizedStringIsOneErrorAndTheNextRequestWorks() {
        FramerLimits small = new FramerLimits(64, 1000, 16);
        String big = "{\"execute\":\"guest-file-write\",\"arguments\":{\"buf-b64\":\"" + "A".repeat(500) + "}{\"}}";
        List<Frame> frames = frame(small, bytes(big + PING));
        assertEquals(2, frames.size(), frames::toString);
        assertEquals("JSON token size limit exceeded", error(frames.get(0)));
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void anOversizedMessageOfManySmallTokensIsOneErrorAndTheNextRequestWorks() {
        FramerLimits small = new FramerLimits(64, 1000, 16);
        String big = "{\"a\":[" + "1,".repeat(100) + "1]}";
        List<Frame> frames = frame(small, bytes(big), bytes(PING));
        assertEquals(2, frames.size(), frames::toString);
        assertEquals("JSON token size limit exceeded", error(frames.get(0)));
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void tooManyTokensIsOneErrorAndTheNextRequestWorks() {
        FramerLimits few = new FramerLimits(1 << 20, 10, 16);
        List<Frame> frames = frame(few, bytes("[1,2,3,4,5,6,7,8,9]" + PING));
        assertEquals("JSON token count limit exceeded", error(frames.get(0)));
        assertEquals(2, frames.size(), frames::toString);
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void nestingDeeperThanQemusLimitIsOneErrorAndTheNextRequestWorks() {
        String tooDeep = "[".repeat(1025) + "]".repeat(1025);
        List<Frame> frames = frame(bytes(tooDeep + PING));
        assertEquals(2, frames.size(), () -> frames.size() + " frames");
        assertEquals("JSON nesting depth limit exceeded", error(frames.get(0)));
        assertEquals(JsonParser.parseString(PING), value(frames.get(1)));
    }

    @Test
    void nestingExactlyAtTheLimitIsAccepted() {
        String deepest = "[".repeat(1024) + "]".repeat(1024);
        List<Frame> frames = frame(bytes(deepest));
        assertEquals(1, frames.size());
        assertTrue(value(frames.get(0)).isJsonArray());
    }

    @Test
    void aDelimiterEndsTheSkippingOfAnOversizedMessage() {
        FramerLimits small = new FramerLimits(64, 1000, 4);
        // The over-deep message never closes: the client gives up and resynchronises with 0xFF.
        List<Frame> frames = frame(small, bytes("[[[[[[[1,"), FF, bytes(PING));
        assertEquals("JSON nesting depth limit exceeded", error(frames.get(0)));
        assertEquals(JsonParser.parseString(PING), value(frames.get(frames.size() - 1)));
    }

    @Test
    void aTopLevelScalarIsAMessageOnceItsTokenEnds() {
        List<Frame> frames = frame(bytes("123"));
        assertTrue(frames.isEmpty(), "a number is not complete until a byte ends it");
        List<Frame> ended = frame(bytes("123 "));
        assertEquals(123, value(ended.get(0)).getAsInt());
    }

    @Test
    void midMessageTellsWhetherBytesWouldBeLost() {
        Framer framer = new Framer(FramerLimits.QEMU);
        byte[] half = bytes("{\"execute\":");
        framer.feed(half, 0, half.length, f -> { });
        assertTrue(framer.midMessage());
        byte[] rest = bytes("\"guest-ping\"}");
        framer.feed(rest, 0, rest.length, f -> { });
        assertFalse(framer.midMessage());
    }
}
