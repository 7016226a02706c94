package org.jqga.agent.commands.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.state.StateDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file commands against real files in a temporary directory, through the real libc. */
class FileCommandsTest {
    @TempDir
    Path dir;

    private final Libc libc = Libc.load();
    private FileHandles files;
    private FileCommands.Open open;
    private FileCommands.Read read;
    private FileCommands.Write write;
    private FileCommands.Seek seek;
    private FileCommands.Close close;
    private FileCommands.Flush flush;

    @BeforeEach
    void setUp() {
        files = new FileHandles(libc, new HandleCounter(dir.resolve("state").resolve("qga.state")));
        open = new FileCommands.Open(files);
        read = new FileCommands.Read(files);
        write = new FileCommands.Write(files);
        seek = new FileCommands.Seek(files);
        close = new FileCommands.Close(files);
        flush = new FileCommands.Flush(files);
    }

    private long open(Path p, String mode) throws CommandException {
        return (Long) open.execute(new FileCommands.OpenArguments(p.toString(), mode));
    }

    private FileCommands.FileRead read(long h, Long count) throws CommandException {
        return (FileCommands.FileRead) read.execute(new FileCommands.ReadArguments(h, count));
    }

    private FileCommands.FileWrite write(long h, String b64) throws CommandException {
        return (FileCommands.FileWrite) write.execute(new FileCommands.WriteArguments(h, b64, null));
    }

    private FileCommands.FileSeek seek(long h, long offset, Object whence) throws CommandException {
        JsonPrimitive w = whence instanceof String s ? new JsonPrimitive(s) : new JsonPrimitive((Number) whence);
        return (FileCommands.FileSeek) seek.execute(new FileCommands.SeekArguments(h, offset, w));
    }

    @Test
    void theChecklistSequenceWritesReadsSeeksAndReadsAgain() throws Exception {
        long h = open(dir.resolve("f"), "w+");
        assertEquals(1000, h);
        assertEquals(new FileCommands.FileWrite(14, false), write(h, "SGVsbG8gV29ybGQhCgA="));
        assertEquals(new FileCommands.FileRead(0, "", true), read(h, null));
        assertEquals(new FileCommands.FileSeek(0, false), seek(h, 0, "set"));
        assertEquals(new FileCommands.FileRead(14, "SGVsbG8gV29ybGQhCgA=", true), read(h, null));
        close.execute(new FileCommands.HandleArguments(h));
    }

    @Test
    void handlesCountUpAndTheCounterIsPersistedForTheNextAgent() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        assertEquals(1000, open(f, "r"));
        assertEquals(1001, open(f, "r"));
        assertEquals("[global]\nfd_counter=1002\n", Files.readString(dir.resolve("state/qga.state")));
        FileHandles next = new FileHandles(libc, new HandleCounter(dir.resolve("state").resolve("qga.state")));
        assertEquals(1002, next.open(f.toString(), "r"));
    }

    @Test
    void theCounterIsNotWrittenThroughALinkPlantedAtTheOldTemporaryName() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "untouched\n");
        Files.createSymbolicLink(state.resolve("qga.state.tmp"), victim);
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        assertEquals(1000, open(f, "r"));
        assertEquals("untouched\n", Files.readString(victim), "the link's target was written");
        assertTrue(Files.isRegularFile(state.resolve("qga.state"), LinkOption.NOFOLLOW_LINKS),
                "the state file must be a file of its own, not the planted link");
        assertEquals("[global]\nfd_counter=1001\n", Files.readString(state.resolve("qga.state")));
        try (var left = Files.list(state)) {
            assertEquals(List.of("qga.state", "qga.state.tmp"), left.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary file is left behind");
        }
    }

    @Test
    void theStateFileKeepsMode0600() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        new StateDirectory(state).prepare();
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        open(f, "r");
        open(f, "r");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                state.resolve("qga.state"), LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void readStopsAtCountAndReportsEofOnlyWhenTheEndWasMet() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "0123456789");
        long h = open(f, "r");
        assertEquals(new FileCommands.FileRead(0, "", false), read(h, 0L));
        FileCommands.FileRead first = read(h, 10L);
        assertEquals(10, first.count());
        assertFalse(first.eof(), "exactly the remaining bytes were asked for: the end was not met yet");
        assertEquals(new FileCommands.FileRead(0, "", true), read(h, 10L));
    }

    @Test
    void readCountMustBeWithinQemuGasLimits() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        long h = open(f, "r");
        for (long bad : new long[] {-1, FileCommands.READ_COUNT_MAX + 1L}) {
            CommandException e = assertThrows(CommandException.class, () -> read(h, bad));
            assertEquals("value '" + bad + "' is invalid for argument count", e.getMessage());
        }
        assertEquals(1, read(h, (long) FileCommands.READ_COUNT_MAX).count());
    }

    @Test
    void everyModeOpensWithItsFlags() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "abc");
        for (String mode : new String[] {"r", "rb", "r+", "rb+", "r+b", "a", "ab", "a+", "ab+", "a+b"}) {
            long h = open(f, mode);
            close.execute(new FileCommands.HandleArguments(h));
            assertEquals("abc", Files.readString(f), mode + " must not truncate");
        }
        for (String mode : new String[] {"w", "wb", "w+", "wb+", "w+b"}) {
            Files.writeString(f, "abc");
            long h = open(f, mode);
            close.execute(new FileCommands.HandleArguments(h));
            assertEquals("", Files.readString(f), mode + " truncates");
        }
        CommandException e = assertThrows(CommandException.class, () -> open(f, "x"));
        assertEquals("invalid file open mode 'x'", e.getMessage());
    }

    @Test
    void appendModesWriteAtTheEndWhateverThePosition() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "abc");
        long h = open(f, "a+");
        seek(h, 0, 0);
        write(h, Base64.getEncoder().encodeToString("def".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("abcdef", Files.readString(f));
    }

    @Test
    void writeOnAReadOnlyHandleFailsWithStrerror() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "abc");
        long h = open(f, "r");
        CommandException e = assertThrows(CommandException.class, () -> write(h, "YQ=="));
        assertEquals("failed to write to file: Bad file descriptor", e.getMessage());
    }

    @Test
    void writeCountMustNotExceedTheDecodedData() throws Exception {
        long h = open(dir.resolve("f"), "w");
        CommandException e = assertThrows(CommandException.class,
                () -> write.execute(new FileCommands.WriteArguments(h, "YWJj", 4L)));
        assertEquals("value '4' is invalid for argument count", e.getMessage());
        assertEquals(new FileCommands.FileWrite(2, false),
                write.execute(new FileCommands.WriteArguments(h, "YWJj", 2L)));
        assertEquals("ab", Files.readString(dir.resolve("f")));
    }

    @Test
    void newFilesGetMode0666WhateverTheUmaskAndExistingFilesKeepTheirs() throws Exception {
        Path created = dir.resolve("new");
        open(created, "w");
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        Path existing = dir.resolve("old");
        Files.writeString(existing, "x");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-------"));
        open(existing, "w");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)));
    }

    @Test
    void descriptorsAreCloseOnExec() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        long h = open(f, "r");
        assertTrue(libc.isCloseOnExec(files.find(h).fd()));
    }

    @Test
    void seekAcceptsIntegersAndNamesAndReportsTheNewPosition() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "0123456789");
        long h = open(f, "r");
        assertEquals(new FileCommands.FileSeek(8, false), seek(h, -2, "end"));
        assertEquals(new FileCommands.FileSeek(8, false), seek(h, 0, 1));
        assertEquals(new FileCommands.FileSeek(3, false), seek(h, 3, 0));
        CommandException code = assertThrows(CommandException.class, () -> seek(h, 0, 5));
        assertEquals("invalid whence code 5", code.getMessage());
        CommandException name = assertThrows(CommandException.class, () -> seek(h, 0, "bad"));
        assertEquals("Parameter 'whence' does not accept value 'bad'", name.getMessage());
        CommandException type = assertThrows(CommandException.class,
                () -> seek.execute(new FileCommands.SeekArguments(h, 0, JsonNull.INSTANCE)));
        assertEquals("Invalid parameter type for 'whence', expected: GuestFileWhence", type.getMessage());
        CommandException negative = assertThrows(CommandException.class, () -> seek(h, -1, 0));
        assertEquals("failed to seek file: Invalid argument", negative.getMessage());
    }

    @Test
    void aFifoIsNotSeekableAndAnEmptyOneFailsToReadWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        long h = open(fifo, "r+");
        CommandException s = assertThrows(CommandException.class, () -> seek(h, 0, 0));
        assertEquals("failed to seek file: Illegal seek", s.getMessage());
        CommandException r = assertThrows(CommandException.class, () -> read(h, null));
        assertEquals("failed to read file: Resource temporarily unavailable", r.getMessage());
        write(h, "YWJj");
        assertEquals(new FileCommands.FileRead(3, "YWJj", false), read(h, null));
    }

    @Test
    void unknownHandlesAreReportedByEveryCommand() throws Exception {
        String expected = "handle '4242' has not been found";
        assertEquals(expected, assertThrows(CommandException.class, () -> read(4242, null)).getMessage());
        assertEquals(expected, assertThrows(CommandException.class, () -> write(4242, "YQ==")).getMessage());
        assertEquals(expected, assertThrows(CommandException.class, () -> seek(4242, 0, 0)).getMessage());
        assertEquals(expected, assertThrows(CommandException.class,
                () -> flush.execute(new FileCommands.HandleArguments(4242))).getMessage());
        assertEquals(expected, assertThrows(CommandException.class,
                () -> close.execute(new FileCommands.HandleArguments(4242))).getMessage());
    }

    @Test
    void openFailuresNameThePathTheModeAndTheReason() {
        CommandException e = assertThrows(CommandException.class, () -> open(dir.resolve("no/such"), "r"));
        assertEquals("failed to open file '" + dir.resolve("no/such") + "' (mode: 'r'): No such file or directory",
                e.getMessage());
    }

    @Test
    void anUncommittableCounterFailsTheOpenAndLeaksNoDescriptor() throws Exception {
        FileHandles broken = new FileHandles(libc, new HandleCounter(dir.resolve("state/qga.state")));
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        broken.close(broken.open(f.toString(), "r")); // the counter is loaded: only the commit is left to fail
        // A regular file where the state directory was: even root cannot write the counter in it.
        Files.delete(dir.resolve("state/qga.state"));
        Files.delete(dir.resolve("state"));
        Files.writeString(dir.resolve("state"), "not a directory");
        long before = openFds();
        CommandException e = assertThrows(CommandException.class, () -> broken.open(f.toString(), "r"));
        assertEquals("failed to commit persistent state to disk", e.getMessage());
        assertEquals(before, openFds());
    }

    private static long openFds() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void largeReadsArriveWhole() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 + 7];
        new java.util.Random(1).nextBytes(data);
        Path f = dir.resolve("big");
        Files.write(f, data);
        long h = open(f, "rb");
        FileCommands.FileRead r = read(h, (long) data.length);
        assertEquals(data.length, r.count());
        assertArrayEquals(data, Base64.getDecoder().decode(r.bufB64().text()));
    }
}
