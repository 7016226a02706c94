package org.jqga.agent.state;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.jqga.agent.cli.AgentOptions;

/**
 * Whether the agent froze filesystems; while it did, only frozen-safe commands are enabled and logging is
 * suspended. Like qemu-ga, the state is also kept as an empty marker file {@code <statedir>/qga.state.isfrozen},
 * so that an agent restarted while filesystems are frozen starts frozen: better an unneeded thaw than an agent
 * that hangs writing to a frozen filesystem.
 */
public final class FrozenState {
    public static final String MARKER_NAME = "qga.state.isfrozen";
    private static final Logger LOG = Logger.getLogger(FrozenState.class.getName());

    private final Path marker;
    private final AtomicBoolean frozen = new AtomicBoolean();

    @Inject
    public FrozenState(AgentOptions options) {
        this(Path.of(options.statedir(), MARKER_NAME));
    }

    public FrozenState(Path marker) {
        this.marker = marker;
    }

    public Path marker() {
        return marker;
    }

    public boolean isFrozen() {
        return frozen.get();
    }

    /**
     * At start-up: if the marker exists, a previous agent exited with filesystems frozen, so this one starts
     * frozen too.
     *
     * @return whether the agent is now frozen
     * @throws IOException when the marker cannot be examined (other than not existing), with qemu-ga's text
     */
    public boolean restore() throws IOException {
        try {
            Files.readAttributes(marker, "size");
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName();
            throw new IOException("unable to access state file at path " + marker + ": " + reason, e);
        }
        LOG.warning("previous instance appears to have exited with frozen filesystems. deferring logging/pidfile"
                + " creation and disabling non-fsfreeze-safe commands until guest-fsfreeze-thaw is issued, or"
                + " filesystems are manually unfrozen and the file " + marker + " is removed");
        frozen.set(true);
        return true;
    }

    /**
     * Enters the frozen state before filesystems are frozen: closes the command gate, suspends logging (a log file
     * on a frozen filesystem would hang the agent) and creates the marker.
     */
    public void markFrozen() {
        if (frozen.get()) {
            return;
        }
        LOG.warning("disabling logging due to filesystem freeze");
        frozen.set(true);
        try {
            Files.newByteChannel(marker, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))).close();
        } catch (IOException e) {
            // Logging is suspended now, as in qemu-ga; the message is kept for a handler that is not.
            LOG.warning("unable to create " + marker + ", fsfreeze may not function properly: " + e);
        }
    }

    /** Leaves the frozen state after filesystems were thawed: logging resumes, the marker goes. */
    public void markThawed() {
        if (!frozen.get()) {
            return;
        }
        frozen.set(false);
        LOG.warning("logging re-enabled due to filesystem unfreeze");
        try {
            Files.delete(marker);
        } catch (IOException e) {
            LOG.warning("unable to delete " + marker + ", fsfreeze may not function properly: " + e);
        }
    }

    /** {@link #markFrozen()} or {@link #markThawed()}. */
    public void set(boolean value) {
        if (value) {
            markFrozen();
        } else {
            markThawed();
        }
    }
}
