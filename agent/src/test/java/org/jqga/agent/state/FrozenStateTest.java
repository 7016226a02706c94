package org.jqga.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrozenStateTest {
    @TempDir
    Path dir;

    @Test
    void theMarkerFollowsTheStateAndANewAgentStartsFrozenFromIt() throws IOException {
        Path marker = dir.resolve(FrozenState.MARKER_NAME);
        FrozenState first = new FrozenState(marker);
        assertFalse(first.restore());
        first.markFrozen();
        assertTrue(Files.exists(marker));

        FrozenState restarted = new FrozenState(marker);
        assertTrue(restarted.restore());
        assertTrue(restarted.isFrozen());
        restarted.markThawed();
        assertFalse(Files.exists(marker));
        assertFalse(new FrozenState(marker).restore());
    }

    @Test
    void aStateDirectoryThatCannotBeExaminedIsAStartupError() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        Path marker = notADirectory.resolve(FrozenState.MARKER_NAME);
        IOException e = assertThrows(IOException.class, () -> new FrozenState(marker).restore());
        assertEquals("unable to access state file at path " + marker + ": Not a directory", e.getMessage());
    }
}
