package org.jqga.agent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * qemu-ga's state directory ({@code --statedir}, key {@code statedir}): it holds {@code qga.state} (a key file
 * {@code [global] fd_counter=N}, the next guest-file handle) and {@code qga.state.isfrozen} (present while
 * filesystems are frozen by the agent).
 */
public record StateDirectory(Path path) {
    /** qemu-ga's first file handle number. */
    public static final long DEFAULT_FD_COUNTER = 1000;

    public Path stateFile() {
        return path.resolve("qga.state");
    }

    public Path frozenMarker() {
        return path.resolve("qga.state.isfrozen");
    }

    /**
     * What qemu-ga does at start-up: a missing {@code qga.state} is created with the default counter (written to a
     * temporary file and renamed, as g_file_set_contents does). Failing to do so is fatal, with qemu-ga's message.
     */
    public void prepare() throws IOException {
        Path state = stateFile();
        if (Files.exists(state)) {
            if (!Files.isRegularFile(state) || !Files.isReadable(state)) {
                throw new IOException("failed to load persistent state: " + state + " is not a readable file");
            }
            return;
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(path, "qga.state.", "");
            Files.writeString(temp, "[global]\nfd_counter=" + DEFAULT_FD_COUNTER + "\n", StandardCharsets.UTF_8);
            Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            String reason = e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
            throw new IOException("failed to write persistent state to " + state + ": " + reason
                    + "; unable to create state file at path " + state, e);
        }
    }
}
