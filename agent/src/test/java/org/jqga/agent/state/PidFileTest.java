package org.jqga.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void holdsThePidPrivatelyAndIsRemovedOnClose() throws Exception {
        Path p = dir.resolve("qga.pid");
        try (PidFile f = PidFile.create(p, 4242)) {
            assertEquals("4242\n", Files.readString(p));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            assertEquals(p.toAbsolutePath(), f.path());
        }
        assertFalse(Files.exists(p));
    }

    @Test
    void aSecondHolderIsRefusedWithTheHoldersPid() throws Exception {
        Path p = dir.resolve("qga.pid");
        try (PidFile first = PidFile.create(p, 1111)) {
            IOException e = assertThrows(IOException.class, () -> PidFile.create(p, 2222));
            assertEquals("Cannot lock pid file " + p.toAbsolutePath() + ": it is held by pid 1111", e.getMessage());
            assertEquals("1111\n", Files.readString(p), "the refused agent must not touch the file");
        }
    }

    @Test
    void aStaleFileLeftByADeadAgentIsTakenOver() throws Exception {
        Path p = dir.resolve("qga.pid");
        Files.writeString(p, "999999999\nrubbish");
        try (PidFile f = PidFile.create(p, 77)) {
            assertEquals("77\n", Files.readString(p));
        }
    }

    @Test
    void anUncreatableFileNamesThePathAndTheReason() {
        Path p = dir.resolve("missing-dir/qga.pid");
        IOException e = assertThrows(IOException.class, () -> PidFile.create(p, 1));
        assertEquals(true, e.getMessage().startsWith("Cannot open pid file " + p.toAbsolutePath() + ": "),
                e.getMessage());
    }
}
