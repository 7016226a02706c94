package org.jqga.agent.daemon;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/** The few libc calls that turning a freshly started JVM into a daemon needs. */
final class ProcessControl {
    /** The libc functions; errno is saved after each call. */
    public interface LibC {
        @SaveError int setsid();
        @SaveError int umask(int mask);
        @SaveError int chdir(String path);
        @SaveError int open(String path, int flags);
        @SaveError int dup2(int oldfd, int newfd);
        @SaveError int close(int fd);
        String strerror(int errnum);
    }

    private static final int O_RDWR = 2;

    private final LibC libc;
    private final Runtime runtime;

    ProcessControl() {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
    }

    private IOException failure(String call) {
        return new IOException(call + ": " + libc.strerror(runtime.getLastError()));
    }

    /** {@code setsid()}: a new session and process group, no controlling terminal. */
    void setsid() throws IOException {
        if (libc.setsid() < 0) {
            throw failure("setsid()");
        }
    }

    void umask(int mask) {
        libc.umask(mask);
    }

    void chdir(String path) throws IOException {
        if (libc.chdir(path) != 0) {
            throw failure("chdir(" + path + ")");
        }
    }

    /** Points fds 0, 1 and 2 at /dev/null, as a daemon's standard streams are. */
    void standardStreamsToDevNull() throws IOException {
        int fd = libc.open("/dev/null", O_RDWR);
        if (fd < 0) {
            throw failure("open(/dev/null)");
        }
        for (int target = 0; target <= 2; target++) {
            if (libc.dup2(fd, target) < 0) {
                throw failure("dup2(/dev/null, " + target + ")");
            }
        }
        if (fd > 2) {
            libc.close(fd);
        }
    }
}
