package org.jqga.api;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jqga.api.posix.FileKey;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * s6's readiness protocol: the supervisor passes the write end of a pipe as fd N (the number in the service
 * directory's {@code notification-fd} file); the daemon writes one newline to it once it serves, then closes it.
 * Usable by any Java daemon: {@code ReadyFdNotifier.open(Posix.load(), n)} and call {@link #ready()} when serving.
 *
 * <p>The fd is marked close-on-exec as soon as it is opened, so children never inherit it; {@link #ready()} writes
 * at most once (a second newline would be a protocol error); {@link #stopping()} before readiness closes the fd
 * without writing, which tells s6 that the service never became ready.
 */
public final class ReadyFdNotifier implements ServiceNotifier {
    private static final System.Logger LOG = System.getLogger(ReadyFdNotifier.class.getName());
    private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.US_ASCII);

    private final Posix posix;
    private final int fd;
    private final AtomicBoolean pending = new AtomicBoolean(true);

    private ReadyFdNotifier(Posix posix, int fd) {
        this.posix = posix;
        this.fd = fd;
    }

    /**
     * Checks that {@code fd} can be a notification channel and takes it over.
     *
     * @throws ActivationException (EX_USAGE) for fd 0 or an fd that is the same file as fd 0 (the client or the
     *                             listener under inetd), (EX_CONFIG) for an fd that is not open or not a pipe
     */
    public static ReadyFdNotifier open(Posix posix, int fd) throws ActivationException {
        String option = "--ready-fd=" + fd;
        if (fd == 0) {
            throw new ActivationException(SysExits.EX_USAGE, option + ": fd 0 is the daemon's input, not a"
                    + " notification channel (s6's notification-fd is usually 3 or higher)");
        }
        if (fd < 0 || !posix.isOpen(fd)) {
            throw new ActivationException(SysExits.EX_CONFIG, option + ": fd " + fd + " is not open (s6-supervise"
                    + " opens it only when the service directory has a notification-fd file containing " + fd + ")");
        }
        try {
            // s6-supervise always passes a pipe. Insisting on one also guards against a number that nobody passed
            // but the JVM itself has taken meanwhile (its jar files): a newline must never be written into those.
            FileType type = posix.fileType(fd);
            if (type != FileType.FIFO) {
                throw new ActivationException(SysExits.EX_CONFIG, option + ": fd " + fd + " is a " + type
                        + ", but a notification fd is the write end of a pipe (s6-supervise passes one when the"
                        + " service directory has a notification-fd file)");
            }
            if (posix.isOpen(0)) {
                FileKey stdin = posix.fileKey(0);
                if (stdin.equals(posix.fileKey(fd))) {
                    throw new ActivationException(SysExits.EX_USAGE, option + ": fd " + fd + " is the same "
                            + posix.fileType(0) + " as fd 0 (the client connection or listener); a newline"
                            + " written there would reach the client");
                }
            }
            posix.setCloseOnExec(fd);
        } catch (PosixException e) {
            throw new ActivationException(SysExits.EX_OSERR, option + ": " + e.getMessage(), e);
        }
        return new ReadyFdNotifier(posix, fd);
    }

    /** The notification fd. */
    public int fd() {
        return fd;
    }

    /** One line for explanations: what fd N is. */
    public static String describe(Posix posix, int fd) {
        if (fd < 0 || !posix.isOpen(fd)) {
            return "fd " + fd + " is not open";
        }
        try {
            return "fd " + fd + " is a " + posix.fileType(fd);
        } catch (PosixException e) {
            return "fd " + fd + ": " + e.getMessage();
        }
    }

    @Override
    public void ready() {
        if (!pending.compareAndSet(true, false)) {
            return;
        }
        try {
            posix.write(fd, NEWLINE);
        } catch (PosixException e) {
            // The supervisor went away or never listened: readiness is lost, serving goes on.
            LOG.log(Level.WARNING, "--ready-fd=" + fd + ": cannot report readiness: " + e.getMessage());
        }
        release();
    }

    @Override
    public void stopping() {
        if (pending.compareAndSet(true, false)) {
            release();
        }
    }

    private void release() {
        try {
            if (fd <= 2) {
                posix.redirectToDevNull(fd); // keep 1 and 2 taken, so nothing else is opened under their numbers
            } else {
                posix.close(fd);
            }
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "--ready-fd=" + fd + ": " + e.getMessage());
        }
    }

    @Override
    public void status(String text) {
        // s6 has no status channel.
    }

    @Override
    public void reloading() {
        // s6 readiness is reported once per start.
    }

    @Override
    public void watchdog() {
        // s6 has no watchdog protocol.
    }

    @Override
    public Optional<Duration> watchdogInterval() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "s6 readiness on fd " + fd;
    }
}
