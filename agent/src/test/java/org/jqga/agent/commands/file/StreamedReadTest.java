package org.jqga.agent.commands.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.jqga.agent.commands.Wire;
import org.jqga.agent.dispatch.Base64Bytes;
import org.jqga.agent.dispatch.IncompleteReplyException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large reads streamed from the file into the reply: the wire text is byte for byte the buffered read's, the file
 * position ends where qemu-ga's would, and a file that shrinks under the stream is reported instead of answered
 * with wrong bytes.
 */
class StreamedReadTest {
    private static final int CHUNK = StreamedRead.CHUNK;
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final Libc libc = Libc.load();

    /** The file commands over handles that stream every read of at least {@code streamMin} bytes. */
    private final class Agent {
        final FileHandles files;
        final Wire wire;

        Agent(String name, int streamMin) {
            files = new FileHandles(libc, new HandleCounter(dir.resolve(name).resolve("qga.state")), 256, streamMin);
            wire = new Wire(new FileCommands.Open(files), new FileCommands.Read(files), new FileCommands.Seek(files),
                    new FileCommands.Close(files));
        }

        long open(Path file) {
            return Long.parseLong(send("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                    + "\"}}").replaceAll("[^0-9]", ""));
        }

        String send(String request) {
            return wire.send(request).orElseThrow();
        }

        String read(long handle, long count, String id) {
            return send("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle + ",\"count\":" + count
                    + "}" + (id == null ? "" : ",\"id\":" + id) + "}");
        }

        long position(long handle) throws Exception {
            return ((FileCommands.FileSeek) new FileCommands.Seek(files).execute(
                    new FileCommands.SeekArguments(handle, 0, new JsonPrimitive("cur")))).position();
        }
    }

    private Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void theStreamedReplyIsByteIdenticalToTheBufferedOne() throws Exception {
        Agent streaming = new Agent("streaming", 1);
        Agent buffered = new Agent("buffered", Integer.MAX_VALUE);
        int[] sizes = {0, 1, 2, 3, 4, 5, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 2, 2 * CHUNK, 2 * CHUNK + 1,
            3 * CHUNK + 2, MIB - 1, MIB, MIB + 1};
        for (int size : sizes) {
            Path f = file("f" + size, size);
            byte[] content = Files.readAllBytes(f);
            // count == size: eof false; count beyond the size: eof true; with no id, a number and a string.
            for (long extra : new long[] {0, 7}) {
                for (String id : new String[] {null, "42", "\"req-1\""}) {
                    long count = Math.max(1, size + extra);
                    long hs = streaming.open(f);
                    long hb = buffered.open(f);
                    String s = streaming.read(hs, count, id);
                    String b = buffered.read(hb, count, id);
                    String what = "size " + size + ", count " + count + ", id " + id;
                    assertEquals(b, s, what);
                    assertTrue(s.contains("\"buf-b64\": \"" + Base64.getEncoder().encodeToString(content) + "\""),
                            what);
                    assertEquals(size, streaming.position(hs), what);
                    assertEquals(buffered.position(hb), streaming.position(hs), what);
                }
            }
        }
    }

    @Test
    void aReadFromTheMiddleStreamsTheRestAndTheNextReadSaysEof() throws Exception {
        Agent streaming = new Agent("streaming", 1);
        Agent buffered = new Agent("buffered", Integer.MAX_VALUE);
        Path f = file("f", 5 * CHUNK + 1);
        long hs = streaming.open(f);
        long hb = buffered.open(f);
        for (Agent a : new Agent[] {streaming, buffered}) {
            long h = a == streaming ? hs : hb;
            a.send("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":" + h
                    + ",\"offset\":1000,\"whence\":\"set\"}}");
        }
        assertEquals(buffered.read(hb, 2 * CHUNK, null), streaming.read(hs, 2 * CHUNK, null));
        assertEquals(buffered.read(hb, 48 * MIB, null), streaming.read(hs, 48 * MIB, null));
        assertEquals(5 * CHUNK + 1, streaming.position(hs));
        String last = streaming.read(hs, 48 * MIB, null);
        assertEquals(buffered.read(hb, 48 * MIB, null), last);
        assertEquals("{\"return\": {\"count\": 0, \"buf-b64\": \"\", \"eof\": true}}\n", last);
    }

    @Test
    void largeReadsOfRegularFilesAreStreamedAndOthersAreBuffered() throws Exception {
        FileHandles files = new FileHandles(libc, new HandleCounter(dir.resolve("s").resolve("qga.state")));
        FileCommands.Read read = new FileCommands.Read(files);
        Path big = file("big", 2 * MIB);
        long h = (Long) new FileCommands.Open(files).execute(new FileCommands.OpenArguments(big.toString(), "r"));
        FileCommands.FileRead r = (FileCommands.FileRead) read.execute(new FileCommands.ReadArguments(h, 48L * MIB));
        assertEquals(2 * MIB, r.count());
        assertTrue(r.eof());
        assertInstanceOf(StreamedRead.class, r.bufB64());
        r.bufB64().release();
        // A small read of the same file is buffered (1 MiB - 1 is under the threshold).
        new FileCommands.Seek(files).execute(new FileCommands.SeekArguments(h, 0, new JsonPrimitive("set")));
        r = (FileCommands.FileRead) read.execute(new FileCommands.ReadArguments(h, (long) MIB - 1));
        assertInstanceOf(Base64Bytes.class, r.bufB64());
        // Less than the threshold left before the end: buffered.
        new FileCommands.Seek(files).execute(new FileCommands.SeekArguments(h, -10, new JsonPrimitive("end")));
        r = (FileCommands.FileRead) read.execute(new FileCommands.ReadArguments(h, 48L * MIB));
        assertInstanceOf(Base64Bytes.class, r.bufB64());
        assertEquals(10, r.count());
        // /proc files say size 0: buffered, and all of it is read.
        long proc = (Long) new FileCommands.Open(files).execute(new FileCommands.OpenArguments("/proc/self/status",
                "r"));
        r = (FileCommands.FileRead) read.execute(new FileCommands.ReadArguments(proc, 48L * MIB));
        assertInstanceOf(Base64Bytes.class, r.bufB64());
        assertTrue(r.eof());
        assertTrue(r.count() > 0);
    }

    @Test
    void aPipeIsNeverStreamed() throws Exception {
        int[] fds = libc.pipe();
        try {
            OpenFile pipe = new OpenFile(libc, fds[0], "pipe", 1);
            byte[] data = "hello".getBytes();
            libc.write(fds[1], data, 0, data.length);
            FileCommands.FileRead r = pipe.read(3);
            assertInstanceOf(Base64Bytes.class, r.bufB64());
            assertEquals(Base64Bytes.ofText("aGVs"), r.bufB64());
            pipe.close();
        } finally {
            libc.close(fds[1]);
        }
    }

    @Test
    void aFileThatShrinksUnderTheStreamFailsThePayloadAndThePositionIsAfterWhatWasDelivered() throws Exception {
        FileHandles files = new FileHandles(libc, new HandleCounter(dir.resolve("s").resolve("qga.state")));
        Path f = file("shrinking", 3 * MIB);
        long h = (Long) new FileCommands.Open(files).execute(new FileCommands.OpenArguments(f.toString(), "r"));
        new FileCommands.Seek(files).execute(new FileCommands.SeekArguments(h, 100, new JsonPrimitive("set")));
        FileCommands.FileRead r = (FileCommands.FileRead) new FileCommands.Read(files).execute(
                new FileCommands.ReadArguments(h, 48L * MIB));
        long promised = 3 * MIB - 100;
        assertEquals(promised, r.count());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(2 * MIB + 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IncompleteReplyException e = assertThrows(IncompleteReplyException.class, () -> r.bufB64().writeBase64(out));
        assertEquals("guest-file-read of handle " + h + " (" + f + ") promised " + promised + " bytes from offset 100"
                + " but the file ended after " + (2 * MIB + 1 - 100) + " (it shrank while being read)", e.getMessage());
        r.bufB64().release();
        // What was written is the base64 of the bytes that were there (up to the encoder's last partial group).
        byte[] expected = Arrays.copyOfRange(Files.readAllBytes(f), 100, 2 * MIB + 1);
        byte[] sent = Base64.getDecoder().decode(out.toByteArray());
        assertArrayEquals(Arrays.copyOf(expected, sent.length), sent);
        assertTrue(expected.length - sent.length < 3);
        // The position is after what was delivered, where a read of the shorter file leaves it.
        assertEquals(2 * MIB + 1, ((FileCommands.FileSeek) new FileCommands.Seek(files).execute(
                new FileCommands.SeekArguments(h, 0, new JsonPrimitive("cur")))).position());
        new FileCommands.Close(files).execute(new FileCommands.HandleArguments(h));
    }

    @Test
    void aHandleClosedWhileItsReadIsStreamedKeepsItsDescriptorUntilTheStreamEnds() throws Exception {
        FileHandles files = new FileHandles(libc, new HandleCounter(dir.resolve("s").resolve("qga.state")));
        Path f = file("f", 2 * MIB);
        long h = (Long) new FileCommands.Open(files).execute(new FileCommands.OpenArguments(f.toString(), "r"));
        int fd = files.find(h).fd();
        FileCommands.FileRead r = (FileCommands.FileRead) new FileCommands.Read(files).execute(
                new FileCommands.ReadArguments(h, 48L * MIB));
        new FileCommands.Close(files).execute(new FileCommands.HandleArguments(h));
        assertFalse(isClosed(fd), "the stream still reads from it");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.bufB64().writeBase64(out);
        r.bufB64().release();
        assertArrayEquals(Files.readAllBytes(f), Base64.getDecoder().decode(out.toByteArray()));
        assertTrue(isClosed(fd));
        r.bufB64().release(); // idempotent
    }

    private boolean isClosed(int fd) {
        try {
            libc.isCloseOnExec(fd);
            return false;
        } catch (ErrnoException e) {
            return true;
        }
    }
}
