package org.jqga.agent.linux;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * The errno behind a Java I/O failure, for qemu-ga's {@code "...: <strerror>"} texts and its numeric
 * {@code error-code} members. The JDK names some errnos by exception type and passes the others' {@code strerror}
 * text as the reason; that text is mapped back to its number with libc's own table.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOTEMPTY = 39;
    public static final int EOPNOTSUPP = 95;
    /** Linux errno values stay below this. */
    private static final int MAX_ERRNO = 134;

    private final Posix posix;
    private final Map<String, Integer> byText = new ConcurrentHashMap<>();

    @Inject
    public Errno(Posix posix) {
        this.posix = posix;
    }

    /** {@code strerror(errno)}. */
    public String text(int errno) {
        return posix.strerror(errno);
    }

    /** The errno of {@code e}, or {@link #EIO} when it carries none. */
    public int number(IOException e) {
        if (e instanceof PosixException p) {
            return p.errno();
        }
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        if (e instanceof NotDirectoryException) {
            return ENOTDIR;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return ENOTEMPTY;
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            Integer n = lookUp(f.getReason());
            if (n != null) {
                return n;
            }
        }
        return EIO;
    }

    /** {@code strerror} of {@code e}'s errno, or the exception's own reason when it carries no errno. */
    public String text(IOException e) {
        int n = number(e);
        if (n == EIO && !(e instanceof PosixException)) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getMessage();
            return reason == null ? text(EIO) : reason;
        }
        return text(n);
    }

    private Integer lookUp(String reason) {
        if (byText.isEmpty()) {
            for (int i = 1; i < MAX_ERRNO; i++) {
                byText.putIfAbsent(posix.strerror(i), i);
            }
        }
        return byText.get(reason);
    }
}
