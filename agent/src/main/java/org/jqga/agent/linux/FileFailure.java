package org.jqga.agent.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A file under the system root could not be read. Carries the errno (when known) and the {@code strerror} text, so
 * that commands can word the error as qemu-ga's {@code error_setg_errno} does: {@code <what>: <strerror>}.
 */
public final class FileFailure extends IOException {
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EIO = 5;

    private final String path;
    private final int errno;
    private final String strerror;

    public FileFailure(String path, int errno, String strerror) {
        super(path + ": " + strerror);
        this.path = path;
        this.errno = errno;
        this.strerror = strerror;
    }

    /** Translates the JDK's exception for the file at the logical {@code path}. */
    public static FileFailure of(String path, IOException e) {
        if (e instanceof FileFailure f) {
            return f;
        }
        if (e instanceof NoSuchFileException) {
            return new FileFailure(path, ENOENT, "No such file or directory");
        }
        if (e instanceof AccessDeniedException) {
            return new FileFailure(path, EACCES, "Permission denied");
        }
        if (e instanceof NotDirectoryException) {
            return new FileFailure(path, ENOTDIR, "Not a directory");
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        if (reason == null) {
            return new FileFailure(path, EIO, "Input/output error");
        }
        int errno = switch (reason) {
            case "No such file or directory" -> ENOENT;
            case "Permission denied" -> EACCES;
            case "Not a directory" -> ENOTDIR;
            case "Is a directory" -> EISDIR;
            default -> -1;
        };
        return new FileFailure(path, errno, reason);
    }

    /** The logical path (as on the real system, e.g. {@code /proc/stat}). */
    public String path() {
        return path;
    }

    /** The errno, or -1 when the JDK did not say which. */
    public int errno() {
        return errno;
    }

    public boolean isNotFound() {
        return errno == ENOENT;
    }

    /** {@code strerror(errno)}, e.g. {@code No such file or directory}. */
    public String strerror() {
        return strerror;
    }
}
