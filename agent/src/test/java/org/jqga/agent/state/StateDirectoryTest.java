package org.jqga.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void createsQemuGasStateFileOnceAndKeepsAnExistingOne() throws Exception {
        StateDirectory sd = new StateDirectory(dir);
        sd.prepare();
        assertEquals("[global]\nfd_counter=1000\n", Files.readString(sd.stateFile()));
        Files.writeString(sd.stateFile(), "[global]\nfd_counter=1234\n");
        sd.prepare();
        assertEquals("[global]\nfd_counter=1234\n", Files.readString(sd.stateFile()));
        assertEquals(dir.resolve("qga.state.isfrozen"), sd.frozenMarker());
    }

    @Test
    void anUnusableDirectoryGivesQemuGasMessage() {
        Path missing = dir.resolve("nope");
        IOException e = assertThrows(IOException.class, () -> new StateDirectory(missing).prepare());
        assertTrue(e.getMessage().startsWith("failed to write persistent state to " + missing.resolve("qga.state")),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("unable to create state file at path " + missing.resolve("qga.state")),
                e.getMessage());
    }
}
