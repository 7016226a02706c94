package org.jqga.agent.commands.file;

import com.google.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.Limits;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;

/**
 * The agent's open files, by handle. Global to the agent, as in qemu-ga: a handle opened by one client stays valid
 * for the next one until it is closed, and dies with the agent.
 */
final class FileHandles {
    private static final Logger LOG = Logger.getLogger(FileHandles.class.getName());
    /** A newly created file gets rw-rw-rw- whatever the umask, as in qemu-ga. */
    private static final int NEW_FILE_MODE = 0666;
    private static final Map<String, Integer> MODES = Map.ofEntries(
            Map.entry("r", Libc.O_RDONLY), Map.entry("rb", Libc.O_RDONLY),
            Map.entry("w", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC),
            Map.entry("wb", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC),
            Map.entry("a", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND),
            Map.entry("ab", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND),
            Map.entry("r+", Libc.O_RDWR), Map.entry("rb+", Libc.O_RDWR), Map.entry("r+b", Libc.O_RDWR),
            Map.entry("w+", Libc.O_RDWR | Libc.O_CREAT | Libc.O_TRUNC),
            Map.entry("wb+", Libc.O_RDWR | Libc.O_CREAT | Libc.O_TRUNC),
            Map.entry("w+b", Libc.O_RDWR | Libc.O_CREAT | Libc.O_TRUNC),
            Map.entry("a+", Libc.O_RDWR | Libc.O_CREAT | Libc.O_APPEND),
            Map.entry("ab+", Libc.O_RDWR | Libc.O_CREAT | Libc.O_APPEND),
            Map.entry("a+b", Libc.O_RDWR | Libc.O_CREAT | Libc.O_APPEND));

    private final Libc libc;
    private final HandleCounter counter;
    private final int maxHandles;
    /** Reads of at least this many bytes of a regular file are streamed ({@link OpenFile#STREAM_MIN}). */
    private final int streamMin;
    private final Map<Long, OpenFile> open = new ConcurrentHashMap<>();
    /** Handles open or being opened; reserved before open(2) so that racing clients cannot pass the limit. */
    private final AtomicInteger reserved = new AtomicInteger();

    @Inject
    FileHandles(Libc libc, HandleCounter counter, AgentOptions options) {
        this(libc, counter, options.limits().maxFileHandles());
    }

    FileHandles(Libc libc, HandleCounter counter) {
        this(libc, counter, Limits.DEFAULTS.maxFileHandles());
    }

    FileHandles(Libc libc, HandleCounter counter, int maxHandles) {
        this(libc, counter, maxHandles, OpenFile.STREAM_MIN);
    }

    FileHandles(Libc libc, HandleCounter counter, int maxHandles, int streamMin) {
        this.streamMin = streamMin;
        this.libc = libc;
        this.counter = counter;
        this.maxHandles = maxHandles;
    }

    /** The open(2) flags for an fopen-style mode, as qemu-ga maps them. */
    static int flags(String mode) throws CommandException {
        Integer base = MODES.get(mode);
        if (base == null) {
            throw new CommandException("invalid file open mode '" + mode + "'");
        }
        return base | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC;
    }

    long open(String path, String mode) throws CommandException {
        int flags = flags(mode);
        if (reserved.incrementAndGet() > maxHandles) {
            reserved.decrementAndGet();
            throw new CommandException("too many open file handles: " + maxHandles + " are open"
                    + " (--max-file-handles); close one with guest-file-close first");
        }
        boolean opened = false;
        try {
            long handle = openReserved(path, mode, flags);
            opened = true;
            return handle;
        } finally {
            if (!opened) {
                reserved.decrementAndGet();
            }
        }
    }

    private long openReserved(String path, String mode, int flags) throws CommandException {
        LOG.fine(() -> "guest-file-open called, filepath: " + path + ", mode: " + mode);
        int fd;
        // Creation is exclusive first, so that only a file we created gets its mode changed.
        boolean created = (flags & Libc.O_CREAT) != 0;
        try {
            try {
                fd = libc.open(path, created ? flags | Libc.O_EXCL : flags, 0);
            } catch (ErrnoException e) {
                if (!created || e.errno() != Libc.EEXIST) {
                    throw e;
                }
                created = false;
                fd = libc.open(path, flags & ~Libc.O_CREAT, 0);
            }
        } catch (ErrnoException e) {
            throw new CommandException("failed to open file '" + path + "' (mode: '" + mode + "'): " + e.getMessage());
        }
        if (created) {
            try {
                libc.fchmod(fd, NEW_FILE_MODE);
            } catch (ErrnoException e) {
                closeQuietly(fd);
                unlinkQuietly(path);
                throw new CommandException("failed to set permission 0666 on new file '" + path + "' (mode: '" + mode
                        + "'): " + e.getMessage());
            }
        }
        long handle;
        try {
            handle = counter.next();
        } catch (CommandException e) {
            closeQuietly(fd);
            throw e;
        }
        open.put(handle, new OpenFile(libc, fd, "handle " + handle + " (" + path + ")", streamMin));
        LOG.fine(() -> "guest-file-open, handle: " + handle);
        return handle;
    }

    OpenFile find(long handle) throws CommandException {
        OpenFile f = open.get(handle);
        if (f == null) {
            throw new CommandException("handle '" + handle + "' has not been found");
        }
        return f;
    }

    void close(long handle) throws CommandException {
        OpenFile f = open.remove(handle);
        if (f == null) {
            throw new CommandException("handle '" + handle + "' has not been found");
        }
        reserved.decrementAndGet();
        f.close();
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (ErrnoException e) {
            LOG.warning("cannot close fd " + fd + ": " + e.getMessage());
        }
    }

    private void unlinkQuietly(String path) {
        try {
            libc.unlink(path);
        } catch (ErrnoException e) {
            LOG.warning("cannot remove " + path + " after a failed open: " + e.getMessage());
        }
    }
}
