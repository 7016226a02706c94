package org.jqga.agent.commands.fstrim;

import com.google.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.Mount;
import org.jqga.agent.linux.Mounts;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.TrimmedRange;

/**
 * {@code FITRIM} on every local filesystem. A filesystem that cannot be trimmed gets an {@code error} in its own
 * entry and the others are still trimmed, so the response says what was and was not done. Entries are listed in
 * reverse mount order, as qemu-ga builds the list by prepending.
 */
final class GuestFstrim implements Command<TrimArguments> {
    static final CommandSpec<TrimArguments> SPEC = CommandSpec.of("guest-fstrim", TrimArguments.class);

    private final Posix posix;
    private final Errno errno;
    private final Mounts mountTable;

    @Inject
    GuestFstrim(Posix posix, Errno errno, Mounts mountTable) {
        this.posix = posix;
        this.errno = errno;
        this.mountTable = mountTable;
    }

    @Override
    public CommandSpec<TrimArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(TrimArguments arguments) throws CommandException {
        List<Mount> mounts;
        try {
            mounts = mountTable.mounts();
        } catch (IOException e) {
            throw new CommandException(e.getMessage());
        }
        long minimum = arguments.minimum() == null ? 0 : arguments.minimum();
        List<TrimResult> results = new ArrayList<>(mounts.size());
        for (Mount m : mounts) {
            results.add(trim(m.directory(), minimum));
        }
        Collections.reverse(results);
        return new TrimResponse(results);
    }

    private TrimResult trim(String dir, long minimum) {
        int fd;
        try {
            fd = posix.openReadOnly(dir);
        } catch (PosixException e) {
            return TrimResult.failed(dir, "failed to open: " + errno.text(e.errno()));
        }
        try {
            TrimmedRange range = posix.trimFilesystem(fd, minimum);
            return TrimResult.trimmed(dir, range.trimmedBytes(), range.minimumBytes());
        } catch (PosixException e) {
            // ENOTTY (e.g. a CD-ROM) and EOPNOTSUPP: the filesystem has no discard at all.
            if (e.errno() == Errno.ENOTTY || e.errno() == Errno.EOPNOTSUPP) {
                return TrimResult.failed(dir, "trim not supported");
            }
            return TrimResult.failed(dir, "failed to trim: " + errno.text(e.errno()));
        } finally {
            try {
                posix.close(fd);
            } catch (PosixException e) {
                // The trim is done (or reported); a failed close of a read-only directory fd changes nothing.
            }
        }
    }
}
