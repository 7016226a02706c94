package org.jqga.agent.linux;

import java.util.List;
import java.util.Optional;

/**
 * The system calls behind the file, exec, ssh and password commands, where the JDK cannot give qemu-ga's
 * semantics: {@code open} with {@code O_NONBLOCK|O_NOCTTY|O_CLOEXEC} and exact errno texts, {@code posix_spawn}
 * with the child's real argv[0] and a raw environment, {@code waitpid} with the signal number (the JDK folds it
 * into {@code 128+N}), and the passwd database through NSS. An interface so that commands can be unit-tested
 * with fakes; {@link #load()} gives the real one.
 */
public interface Libc {
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOCTTY = 0400;
    int O_TRUNC = 01000;
    int O_APPEND = 02000;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;

    int SEEK_SET = 0;
    int SEEK_CUR = 1;
    int SEEK_END = 2;

    int EINTR = 4;
    int EAGAIN = 11;
    int ENOENT = 2;
    int EEXIST = 17;
    int EACCES = 13;
    int ESPIPE = 29;

    /** For {@link #spawn}: connect the stream to {@code /dev/null}. */
    int DEV_NULL = -1;
    /** For {@link #spawn}'s stderr: the same as stdout ({@code 2>&1} inside the child). */
    int SAME_AS_STDOUT = -2;

    static Libc load() {
        return new NativeLibc();
    }

    int open(String path, int flags, int mode) throws ErrnoException;

    /** {@code read(2)}: the number of bytes read into {@code buf[off..]}, 0 at end of file. */
    int read(int fd, byte[] buf, int off, int len) throws ErrnoException;

    /** {@code write(2)}: the number of bytes written from {@code buf[off..]}. */
    int write(int fd, byte[] buf, int off, int len) throws ErrnoException;

    long lseek(int fd, long offset, int whence) throws ErrnoException;

    /** {@code pread(2)}: as {@link #read} from {@code offset} of the file, leaving the file position alone. */
    int pread(int fd, byte[] buf, int off, int len, long offset) throws ErrnoException;

    /** {@code fstat(2)}: the type and size of the file {@code fd} refers to. */
    FileStatus fstat(int fd) throws ErrnoException;

    void fchmod(int fd, int mode) throws ErrnoException;

    void close(int fd) throws ErrnoException;

    void unlink(String path) throws ErrnoException;

    /** {@code fcntl(F_GETFD)} has {@code FD_CLOEXEC}. */
    boolean isCloseOnExec(int fd) throws ErrnoException;

    /** {@code pipe2(O_CLOEXEC)}: {@code [read end, write end]}. */
    int[] pipe() throws ErrnoException;

    /**
     * Starts {@code executable} with {@code argv} (argv[0] included) and exactly the environment {@code env}
     * ({@code NAME=value} strings, passed through as they are). Each of {@code stdin}, {@code stdout},
     * {@code stderr} is an fd to install, {@link #DEV_NULL}, or for stderr {@link #SAME_AS_STDOUT}. The child gets
     * no other descriptor of the agent, an empty signal mask and SIGPIPE at its default action; with
     * {@code newSession} it runs in its own session. Fails with the errno of the failed {@code exec}.
     *
     * @return the child's pid; the caller must {@link #waitpid} it
     */
    int spawn(String executable, List<String> argv, List<String> env, int stdin, int stdout, int stderr,
              boolean newSession) throws ErrnoException;

    /** Blocks until the child {@code pid} ends, reaps it and returns its raw wait status. */
    int waitpid(int pid) throws ErrnoException;

    /** {@code access(path, X_OK)} succeeds. */
    boolean isExecutable(String path);

    /** {@code getpwnam_r}: empty when there is no such user; fails when the lookup itself fails. */
    Optional<PasswdEntry> getpwnam(String name) throws ErrnoException;

    String strerror(int errno);
}
