package org.jqga.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileReadReplyTest {

    private static QgaConnection.Line line(String text) {
        byte[] padded = ("garbage" + text + "more").getBytes(StandardCharsets.UTF_8);
        return new QgaConnection.Line(padded, 7, text.getBytes(StandardCharsets.UTF_8).length);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void decodesQemuGasReplyAsItIsOnTheWire() throws Exception {
        // qemu-ga 7.2's reply for the bytes "ab\xff\xfe\xfd???>>>", which encode to both '+' and '/'.
        FileReadReply r = FileReadReply.parse(
                line("{\"return\": {\"count\": 11, \"buf-b64\": \"YWL//v0/Pz8+Pj4=\", \"eof\": true}}\n"), "read");
        assertEquals(11, r.count());
        assertTrue(r.eof());
        assertArrayEquals(new byte[] {'a', 'b', (byte) 0xff, (byte) 0xfe, (byte) 0xfd, '?', '?', '?', '>', '>', '>'},
                bytes(r.data()));
    }

    @Test
    void undoesEscapedSlashes() throws Exception {
        FileReadReply r = FileReadReply.parse(
                line("{\"return\": {\"count\": 3, \"buf-b64\": \"\\/\\/\\/\\/\", \"eof\": false}}\n"), "read");
        assertFalse(r.eof());
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, bytes(r.data()));
    }

    @Test
    void emptyReadAtEndOfFile() throws Exception {
        FileReadReply r = FileReadReply.parse(line("{\"return\": {\"count\": 0, \"buf-b64\": \"\", \"eof\": true}}\n"),
                "read");
        assertEquals(0, r.count());
        assertEquals(0, r.data().remaining());
    }

    @Test
    void anErrorReplyIsThrownWithItsClassAndText() {
        QgaConnection.QgaErrorException e = assertThrows(QgaConnection.QgaErrorException.class,
                () -> FileReadReply.parse(line("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command"
                        + " guest-file-read has not been found\"}}\n"), "read"));
        assertEquals("CommandNotFound", e.errorClass);
        assertEquals("The command guest-file-read has not been found", e.desc);
    }

    @Test
    void aCountThatDisagreesWithTheDataIsRefused() {
        assertThrows(QgaConnection.QgaErrorException.class, () -> FileReadReply.parse(
                line("{\"return\": {\"count\": 4, \"buf-b64\": \"YWI=\", \"eof\": true}}\n"), "read"));
    }
}
