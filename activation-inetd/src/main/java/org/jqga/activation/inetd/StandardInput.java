package org.jqga.activation.inetd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqga.api.posix.FileKey;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketInfo;

/** What fd 0 is, as far as the kernel says: the evidence an inetd-style supervisor leaves. */
sealed interface StandardInput {
    /** fd 0 is not open. */
    record Closed() implements StandardInput {
    }

    /** fd 0 could not be inspected. */
    record Uninspectable(String error) implements StandardInput {
    }

    /** A terminal: an operator's shell, never a client. */
    record Terminal(String device) implements StandardInput {
    }

    /** A socket of any kind. */
    record Socket(SocketInfo info) implements StandardInput {
    }

    /** A pipe, FIFO, file, character device ... */
    record OtherFile(FileType type, String target) implements StandardInput {
    }

    static StandardInput inspect(Posix posix) {
        if (!posix.isOpen(0)) {
            return new Closed();
        }
        try {
            if (posix.isatty(0)) {
                return new Terminal(target(0));
            }
            FileType type = posix.fileType(0);
            if (type == FileType.SOCKET) {
                return new Socket(posix.socketInfo(0));
            }
            return new OtherFile(type, target(0));
        } catch (PosixException e) {
            return new Uninspectable(e.getMessage());
        }
    }

    /** Whether {@code fd} is open and the same file (pipe, socket) as fd 0. */
    static boolean sameAsStandardInput(Posix posix, int fd) {
        if (!posix.isOpen(fd) || !posix.isOpen(0)) {
            return false;
        }
        try {
            FileKey in = posix.fileKey(0);
            return in.equals(posix.fileKey(fd));
        } catch (PosixException e) {
            return false;
        }
    }

    /** What {@code /proc/self/fd/N} points at ({@code /dev/pts/3}, {@code pipe:[123]}), or empty. */
    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return ""; // only decorates messages; /proc may be missing in a minimal container
        }
    }
}
