package org.jqga.agent.commands.file;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.dispatch.CommandException;

/**
 * Where file handles come from: qemu-ga's persistent counter in {@code <statedir>/qga.state} (a GLib key file,
 * {@code [global] fd_counter=N}, 1000 when first created). Each handle handed out is the current value; the
 * incremented value is committed to disk before the handle is returned, so a handle is never reused, not even by a
 * later agent. The file is read at the first open, not at start-up, so an agent that never opens files never
 * touches the state directory.
 */
final class HandleCounter {
    static final long FIRST_HANDLE = 1000;
    static final String STATE_FILE = "qga.state";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path stateFile;
    private long next = -1;

    @Inject
    HandleCounter(AgentOptions options) {
        this(Path.of(options.statedir(), STATE_FILE));
    }

    HandleCounter(Path stateFile) {
        this.stateFile = stateFile;
    }

    /** The next handle, committed to disk. */
    synchronized long next() throws CommandException {
        if (next < 0) {
            next = load();
        }
        long handle = next;
        if (handle == Long.MAX_VALUE) {
            throw new CommandException("no file handles left: the counter in " + stateFile + " is exhausted");
        }
        try {
            store(handle + 1);
        } catch (IOException e) {
            throw new CommandException("failed to commit persistent state to disk");
        }
        next = handle + 1;
        return handle;
    }

    private long load() throws CommandException {
        List<String> lines;
        try {
            lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return FIRST_HANDLE;
        } catch (IOException e) {
            throw new CommandException("failed to load persistent state from " + stateFile + ": " + e.getMessage());
        }
        String group = "";
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                group = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (group.equals("global") && eq > 0 && line.substring(0, eq).strip().equals("fd_counter")) {
                String value = line.substring(eq + 1).strip();
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new CommandException("failed to load persistent state from " + stateFile
                            + ": fd_counter '" + value + "' is not an integer");
                }
            }
        }
        return FIRST_HANDLE;
    }

    /**
     * Written beside the file and renamed over it: a crash leaves the old or the new counter, never half. The
     * temporary file gets a name of its own each time and is created exclusively without following links, with
     * mode 0600 from the start: a fixed name followed a link planted there (writing wherever it pointed), and a
     * file created with the umask's mode turned the 0600 state file that {@code StateDirectory} makes into 0644.
     */
    private void store(long value) throws IOException {
        Files.createDirectories(stateFile.getParent());
        byte[] text = ("[global]\nfd_counter=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = stateFile.resolveSibling(STATE_FILE + "." + UUID.randomUUID() + ".tmp");
        Files.createFile(tmp, OWNER_ONLY); // O_CREAT|O_EXCL: fails on anything already there, a link included
        try {
            Files.write(tmp, text, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp); // ours: it was created above
            throw e;
        }
    }
}
