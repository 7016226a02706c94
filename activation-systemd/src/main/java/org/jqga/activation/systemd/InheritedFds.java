package org.jqga.activation.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqga.api.ActivationException;
import org.jqga.api.Endpoint;
import org.jqga.api.SysExits;
import org.jqga.api.Transports;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.posix.SocketType;
import org.jqga.api.spi.Transport;

/**
 * Proves what each passed fd is before anything uses it: a stream socket of a family an installed transport
 * handles, either listening ({@code Accept=no}) or connected ({@code Accept=yes}). Everything else is an error that
 * names the fd, its LISTEN_FDNAMES entry, what it is and what was expected.
 */
final class InheritedFds {
    private static final int EBADF = 9;
    private final Posix posix;
    private final Transports transports;

    InheritedFds(Posix posix, Transports transports) {
        this.posix = posix;
        this.transports = transports;
    }

    /** {@code fd 4 (LISTEN_FDNAMES "vsock")}, or just {@code fd 4} when the supervisor named nothing. */
    static String label(ListenFds fds, int fd) {
        return fds.named() ? "fd " + fd + " (LISTEN_FDNAMES \"" + fds.nameOf(fd) + "\")" : "fd " + fd;
    }

    /** Every passed fd must be open: one that is not is the supervisor's mistake and named as such. */
    void requireOpen(ListenFds fds) throws ActivationException {
        for (int fd = fds.firstFd(); fd <= fds.lastFd(); fd++) {
            if (!posix.isOpen(fd)) {
                throw notOpen(fds, fd, null);
            }
        }
    }

    private static ActivationException notOpen(ListenFds fds, int fd, Throwable cause) {
        return new ActivationException(SysExits.EX_CONFIG, label(fds, fd) + " is not open, but LISTEN_FDS="
                + fds.count() + " promises open fds " + fds.firstFd() + ".." + fds.lastFd(), cause);
    }

    /**
     * Marks the served fds close-on-exec, as {@code sd_listen_fds} does, so that no child process inherits them
     * (the others are closed).
     */
    void markCloseOnExec(ListenFds fds, List<Integer> served) throws ActivationException {
        for (int fd : served) {
            try {
                posix.setCloseOnExec(fd);
            } catch (PosixException e) {
                if (e.errno() == EBADF) {
                    throw notOpen(fds, fd, e);
                }
                throw new ActivationException(SysExits.EX_OSERR, label(fds, fd) + ": cannot set FD_CLOEXEC: "
                        + e.getMessage(), e);
            }
        }
    }

    /** After a failed activation: marks every passed fd that is still open; returns what could not be marked. */
    List<PosixException> markCloseOnExecWhereOpen(ListenFds fds) {
        List<PosixException> failures = new ArrayList<>();
        for (int fd = fds.firstFd(); fd <= fds.lastFd(); fd++) {
            if (posix.isOpen(fd)) {
                try {
                    posix.setCloseOnExec(fd);
                } catch (PosixException e) {
                    failures.add(e);
                }
            }
        }
        return failures;
    }

    /** What the kernel says {@code fd} is, proved to be servable. */
    SocketInfo prove(ListenFds fds, int fd) throws ActivationException {
        String label = label(fds, fd);
        String expected = "expected a stream socket (listening, or connected for Accept=yes)";
        FileType type;
        try {
            type = posix.fileType(fd);
        } catch (PosixException e) {
            throw new ActivationException(SysExits.EX_CONFIG, label + ": cannot be inspected: " + e.getMessage()
                    + "; " + expected, e);
        }
        if (type != FileType.SOCKET) {
            throw new ActivationException(SysExits.EX_CONFIG, label + " is a " + type + target(fd) + ", but "
                    + expected + (type == FileType.FIFO || type == FileType.CHARACTER_DEVICE || type == FileType.REGULAR
                    ? " (ListenFIFO= and ListenSpecial= cannot carry QGA connections)" : ""));
        }
        SocketInfo info;
        try {
            info = posix.socketInfo(fd);
        } catch (PosixException e) {
            throw new ActivationException(SysExits.EX_OSERR, label + ": cannot inspect the socket: " + e.getMessage(),
                    e);
        }
        if (info.type() != SocketType.STREAM) {
            throw new ActivationException(SysExits.EX_CONFIG, label + " is an " + info.describe() + ", but " + expected
                    + ": QGA is a byte stream (use ListenStream=, not ListenDatagram= or ListenSequentialPacket=)");
        }
        if (!info.listening() && !info.connected()) {
            throw new ActivationException(SysExits.EX_CONFIG, label + " is an " + info.describe() + ", but "
                    + expected + ": nothing can be accepted or read on it");
        }
        return info;
    }

    /** Wraps a proved fd with the transport for its family; a missing transport names the module that adds it. */
    Endpoint adopt(ListenFds fds, SocketInfo info, String endpointName) throws ActivationException {
        String label = label(fds, info.fd());
        Transport transport = transports.require(info.family(), label + ": " + info.describe());
        return transport.adopt(info.fd(), info, endpointName);
    }

    /** Releases our copies of fds that are not served (the supervisor keeps its own); failures are reported. */
    List<String> release(List<Integer> unserved) {
        List<String> problems = new ArrayList<>();
        for (int fd : unserved) {
            try {
                posix.close(fd);
            } catch (PosixException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** {@code " /tmp/x"} for a file, from /proc; empty when the kernel does not say. */
    private static String target(int fd) {
        try {
            return " " + Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
