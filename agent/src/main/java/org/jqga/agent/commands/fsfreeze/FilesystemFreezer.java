package org.jqga.agent.commands.fsfreeze;

import com.google.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.Mount;
import org.jqga.agent.linux.Mounts;
import org.jqga.agent.linux.ProgramRunner;
import org.jqga.agent.linux.RunCommand;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * Freezes and thaws filesystems the way qemu-ga does. Freeze: run the hook with {@code freeze}, enter the frozen
 * state, {@code FIFREEZE} each mount in reverse mount order (a filesystem that cannot be frozen,
 * {@code EOPNOTSUPP}, or is frozen already through another mount, {@code EBUSY}, is not counted); any other
 * failure thaws everything again and reports which mount failed. Thaw: {@code FITHAW} every mount until the
 * kernel refuses, counting the filesystems that were thawed, leave the frozen state, run the hook with
 * {@code thaw}. One freeze or thaw at a time, whichever session asks.
 */
public final class FilesystemFreezer {
    private static final Logger LOG = Logger.getLogger(FilesystemFreezer.class.getName());

    private final Posix posix;
    private final Errno errno;
    private final Mounts mountTable;
    private final FrozenState state;
    private final ProgramRunner runner;
    private final Optional<String> hook;
    private final Object lock = new Object();

    @Inject
    public FilesystemFreezer(Posix posix, Errno errno, Mounts mountTable, FrozenState state, ProgramRunner runner,
                             AgentOptions options) {
        this.posix = posix;
        this.errno = errno;
        this.mountTable = mountTable;
        this.state = state;
        this.runner = runner;
        this.hook = options.fsfreezeHook();
    }

    /**
     * @param mountpoints the mount points to freeze, compared as strings with the mount table; empty for all
     * @return how many filesystems this call froze
     */
    public long freeze(Optional<List<String>> mountpoints) throws CommandException, InterruptedException {
        synchronized (lock) {
            runHook("freeze");
            List<Mount> mounts = mounts();
            // Before the first FIFREEZE: from here on the agent must not write to any filesystem.
            state.markFrozen();
            long frozen;
            try {
                frozen = freezeEach(mounts, mountpoints);
            } catch (CommandException e) {
                try {
                    thaw();
                } catch (CommandException thawFailure) {
                    e.addSuppressed(thawFailure);
                }
                throw e;
            }
            if (frozen == 0) {
                // Nothing was frozen, so nothing needs a thaw: back to normal without running the thaw hook.
                state.markThawed();
            }
            return frozen;
        }
    }

    private long freezeEach(List<Mount> mounts, Optional<List<String>> mountpoints) throws CommandException {
        long frozen = 0;
        // Reverse order: a filesystem mounted inside another is frozen before the one it lives on.
        for (int i = mounts.size() - 1; i >= 0; i--) {
            String dir = mounts.get(i).directory();
            if (mountpoints.isPresent() && !mountpoints.get().contains(dir)) {
                continue;
            }
            int fd;
            try {
                fd = posix.openReadOnly(dir);
            } catch (PosixException e) {
                throw new CommandException("failed to open " + dir + ": " + errno.text(e.errno()));
            }
            try {
                posix.freezeFilesystem(fd);
                frozen++;
            } catch (PosixException e) {
                if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.EBUSY) {
                    throw new CommandException("failed to freeze " + dir + ": " + errno.text(e.errno()));
                }
            } finally {
                closeQuietly(fd);
            }
        }
        return frozen;
    }

    /** @return how many filesystems were thawed */
    public long thaw() throws CommandException, InterruptedException {
        synchronized (lock) {
            List<Mount> mounts = mounts();
            long thawed = 0;
            for (Mount m : mounts) {
                int fd;
                try {
                    fd = posix.openReadOnly(m.directory());
                } catch (PosixException e) {
                    continue;
                }
                try {
                    // A filesystem frozen several times needs as many thaws; the kernel refuses (EINVAL) once it
                    // is thawed. Counted once: this tells whether something else thawed it in the meantime.
                    boolean counted = false;
                    while (true) {
                        posix.thawFilesystem(fd);
                        if (!counted) {
                            thawed++;
                            counted = true;
                        }
                    }
                } catch (PosixException e) {
                    // Thawed, or never frozen.
                } finally {
                    closeQuietly(fd);
                }
            }
            state.markThawed();
            try {
                runHook("thaw");
            } catch (CommandException e) {
                LOG.warning(thawed + " filesystem(s) thawed, but the thaw hook failed: " + e.getMessage());
                throw e;
            }
            return thawed;
        }
    }

    /**
     * When the agent exits while filesystems are frozen (not on SIGTERM/SIGINT, which are ignored then), thaws
     * them, as qemu-ga's clean-up does.
     */
    public void thawOnExit() {
        if (!state.isFrozen()) {
            return;
        }
        try {
            thaw();
        } catch (CommandException e) {
            LOG.warning("failed to clean up frozen filesystems: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("failed to clean up frozen filesystems: interrupted");
        }
    }

    private List<Mount> mounts() throws CommandException {
        try {
            return mountTable.mounts();
        } catch (IOException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private void runHook(String argument) throws CommandException, InterruptedException {
        if (hook.isEmpty()) {
            return;
        }
        LOG.info(() -> "executing fsfreeze hook with arg '" + argument + "'");
        RunCommand.runOrFail(runner, List.of(hook.get(), argument), "execute fsfreeze hook");
    }

    private void closeQuietly(int fd) {
        try {
            posix.close(fd);
        } catch (PosixException e) {
            LOG.warning("close(fd " + fd + ") after a filesystem ioctl: " + e.getMessage());
        }
    }
}
