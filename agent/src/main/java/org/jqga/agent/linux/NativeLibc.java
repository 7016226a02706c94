package org.jqga.agent.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** {@link Libc} over glibc with jnr-ffi. Structure layouts are Linux's (LP64 and ILP32 alike). */
final class NativeLibc implements Libc {
    /** The libc functions we call; errno is saved after each so {@link Runtime#getLastError()} is reliable. */
    public interface C {
        @SaveError int open(String path, int flags, int mode);
        @SaveError @ssize_t long read(int fd, @Out ByteBuffer buf, @size_t long count);
        @SaveError @ssize_t long write(int fd, @In ByteBuffer buf, @size_t long count);
        @SaveError @off_t long lseek(int fd, @off_t long offset, int whence);
        @SaveError @ssize_t long pread(int fd, @Out ByteBuffer buf, @size_t long count, @off_t long offset);
        @SaveError int fchmod(int fd, int mode);
        @SaveError int close(int fd);
        @SaveError int unlink(String path);
        @SaveError int fcntl(int fd, int cmd, int arg);
        @SaveError int pipe2(@Out int[] fds, int flags);
        @SaveError int access(String path, int mode);
        @SaveError int waitpid(int pid, @Out IntByReference status, int options);
        int posix_spawn(@Out IntByReference pid, String path, Pointer fileActions, Pointer attr, Pointer argv,
                        Pointer envp);
        int posix_spawn_file_actions_init(Pointer fileActions);
        int posix_spawn_file_actions_destroy(Pointer fileActions);
        int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);
        int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);
        int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);
        int posix_spawnattr_init(Pointer attr);
        int posix_spawnattr_destroy(Pointer attr);
        int posix_spawnattr_setflags(Pointer attr, short flags);
        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
        int sigemptyset(Pointer sigset);
        int sigaddset(Pointer sigset, int signal);
        int getpwnam_r(String name, Pointer pwd, Pointer buf, @size_t long buflen, PointerByReference result);
        String strerror(int errnum);
    }

    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int X_OK = 1;
    private static final int ERANGE = 34;
    private static final int EBADF = 9;
    private static final int SIGPIPE = 13;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    /** Larger than glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128). */
    private static final int OPAQUE_SIZE = 1024;
    private static final int PASSWD_STRUCT_SIZE = 128;

    private final C c;
    private final Runtime runtime;
    private final boolean hasCloseFrom;

    NativeLibc() {
        this.c = LibraryLoader.create(C.class).load("c");
        this.runtime = Runtime.getRuntime(c);
        this.hasCloseFrom = probeCloseFrom();
    }

    /** posix_spawn_file_actions_addclosefrom_np is glibc 2.34+; older systems get the /proc walk instead. */
    private boolean probeCloseFrom() {
        Pointer fa = Memory.allocateDirect(runtime, OPAQUE_SIZE, true);
        c.posix_spawn_file_actions_init(fa);
        try {
            return c.posix_spawn_file_actions_addclosefrom_np(fa, 3) == 0;
        } catch (UnsatisfiedLinkError e) {
            return false;
        } finally {
            c.posix_spawn_file_actions_destroy(fa);
        }
    }

    private ErrnoException failure() {
        int errno = runtime.getLastError();
        return new ErrnoException(errno, strerror(errno));
    }

    private ErrnoException failure(int errno) {
        return new ErrnoException(errno, strerror(errno));
    }

    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        int fd;
        do {
            fd = c.open(path, flags, mode);
        } while (fd < 0 && runtime.getLastError() == EINTR);
        if (fd < 0) {
            throw failure();
        }
        return fd;
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        ByteBuffer target = ByteBuffer.wrap(buf, off, len).slice();
        while (true) {
            long n = c.read(fd, target, len);
            if (n >= 0) {
                return (int) n;
            }
            if (runtime.getLastError() != EINTR) {
                throw failure();
            }
        }
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
        ByteBuffer source = ByteBuffer.wrap(buf, off, len).slice();
        while (true) {
            long n = c.write(fd, source, len);
            if (n >= 0) {
                return (int) n;
            }
            if (runtime.getLastError() != EINTR) {
                throw failure();
            }
        }
    }

    @Override
    public long lseek(int fd, long offset, int whence) throws ErrnoException {
        long r = c.lseek(fd, offset, whence);
        if (r < 0) {
            throw failure();
        }
        return r;
    }

    @Override
    public int pread(int fd, byte[] buf, int off, int len, long offset) throws ErrnoException {
        ByteBuffer target = ByteBuffer.wrap(buf, off, len).slice();
        while (true) {
            long n = c.pread(fd, target, len, offset);
            if (n >= 0) {
                return (int) n;
            }
            if (runtime.getLastError() != EINTR) {
                throw failure();
            }
        }
    }

    /**
     * Through {@code /proc/self/fd/N}, which the kernel resolves to the open file itself (even one that was deleted
     * or lies in another mount namespace): {@code struct stat}'s layout differs between architectures, and glibc
     * before 2.33 has no {@code fstat} symbol to bind.
     */
    @Override
    public FileStatus fstat(int fd) throws ErrnoException {
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
            return new FileStatus(a.isRegularFile(), a.size());
        } catch (IOException e) {
            throw new ErrnoException(EBADF, "cannot stat fd " + fd + ": " + e.getMessage());
        }
    }

    @Override
    public void fchmod(int fd, int mode) throws ErrnoException {
        if (c.fchmod(fd, mode) != 0) {
            throw failure();
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        // Linux releases the fd even when close reports EINTR: never retry.
        if (c.close(fd) != 0 && runtime.getLastError() != EINTR) {
            throw failure();
        }
    }

    @Override
    public void unlink(String path) throws ErrnoException {
        if (c.unlink(path) != 0) {
            throw failure();
        }
    }

    @Override
    public boolean isCloseOnExec(int fd) throws ErrnoException {
        int flags = c.fcntl(fd, F_GETFD, 0);
        if (flags < 0) {
            throw failure();
        }
        return (flags & FD_CLOEXEC) != 0;
    }

    @Override
    public int[] pipe() throws ErrnoException {
        int[] fds = new int[2];
        if (c.pipe2(fds, O_CLOEXEC) != 0) {
            throw failure();
        }
        return fds;
    }

    @Override
    public int spawn(String executable, List<String> argv, List<String> env, int stdin, int stdout, int stderr,
                     boolean newSession) throws ErrnoException {
        Pointer fa = Memory.allocateDirect(runtime, OPAQUE_SIZE, true);
        Pointer attr = Memory.allocateDirect(runtime, OPAQUE_SIZE, true);
        Pointer noSignals = Memory.allocateDirect(runtime, OPAQUE_SIZE, true);
        Pointer defaultSignals = Memory.allocateDirect(runtime, OPAQUE_SIZE, true);
        List<Pointer> keepAlive = new ArrayList<>();
        c.posix_spawn_file_actions_init(fa);
        c.posix_spawnattr_init(attr);
        try {
            check(stdio(fa, stdin, 0));
            check(stdio(fa, stdout, 1));
            check(stderr == SAME_AS_STDOUT ? c.posix_spawn_file_actions_adddup2(fa, 1, 2) : stdio(fa, stderr, 2));
            if (hasCloseFrom) {
                check(c.posix_spawn_file_actions_addclosefrom_np(fa, 3));
            } else {
                markEveryFdCloseOnExec();
            }
            c.sigemptyset(noSignals);
            c.sigemptyset(defaultSignals);
            c.sigaddset(defaultSignals, SIGPIPE);
            check(c.posix_spawnattr_setsigmask(attr, noSignals));
            check(c.posix_spawnattr_setsigdefault(attr, defaultSignals));
            short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
                    | (newSession ? POSIX_SPAWN_SETSID : 0));
            check(c.posix_spawnattr_setflags(attr, flags));
            IntByReference pid = new IntByReference();
            int rc = c.posix_spawn(pid, executable, fa, attr, stringArray(argv, keepAlive),
                    stringArray(env, keepAlive));
            check(rc);
            return pid.intValue();
        } finally {
            c.posix_spawnattr_destroy(attr);
            c.posix_spawn_file_actions_destroy(fa);
        }
    }

    private int stdio(Pointer fa, int fd, int target) {
        if (fd == DEV_NULL) {
            return c.posix_spawn_file_actions_addopen(fa, target, "/dev/null", O_RDWR, 0);
        }
        return c.posix_spawn_file_actions_adddup2(fa, fd, target);
    }

    private void check(int rc) throws ErrnoException {
        if (rc != 0) {
            throw failure(rc);
        }
    }

    /** A NULL-terminated {@code char *[]}; the strings are kept reachable through {@code keepAlive}. */
    private Pointer stringArray(List<String> strings, List<Pointer> keepAlive) {
        int size = runtime.addressSize();
        Pointer array = Memory.allocateDirect(runtime, (strings.size() + 1) * size, true);
        keepAlive.add(array);
        for (int i = 0; i < strings.size(); i++) {
            byte[] bytes = strings.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer s = Memory.allocateDirect(runtime, bytes.length + 1, true);
            s.put(0, bytes, 0, bytes.length);
            keepAlive.add(s);
            array.putPointer((long) i * size, s);
        }
        array.putAddress((long) strings.size() * size, 0L);
        return array;
    }

    /** Without closefrom: no agent fd may survive exec, so every open fd from 3 up gets FD_CLOEXEC first. */
    private void markEveryFdCloseOnExec() {
        java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
        if (fds == null) {
            return;
        }
        for (java.io.File f : fds) {
            try {
                int fd = Integer.parseInt(f.getName());
                int flags = fd >= 3 ? c.fcntl(fd, F_GETFD, 0) : -1;
                if (flags >= 0 && (flags & FD_CLOEXEC) == 0) {
                    c.fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
                }
            } catch (NumberFormatException e) {
                // not an fd entry
            }
        }
    }

    @Override
    public int waitpid(int pid) throws ErrnoException {
        IntByReference status = new IntByReference();
        while (true) {
            int r = c.waitpid(pid, status, 0);
            if (r == pid) {
                return status.intValue();
            }
            if (r < 0 && runtime.getLastError() != EINTR) {
                throw failure();
            }
        }
    }

    @Override
    public boolean isExecutable(String path) {
        return c.access(path, X_OK) == 0;
    }

    /**
     * The longest user name handed to {@code getpwnam_r}: Linux's LOGIN_NAME_MAX (256) less its NUL. A client's
     * user name of 2 MiB made glibc's lookup overflow the session thread's stack inside libc, a SIGSEGV that ended
     * the JVM (found by {@code ProtocolFuzzIT}); no such name can exist, so it is no such user.
     */
    static final int MAX_USER_NAME_BYTES = 255;

    @Override
    public Optional<PasswdEntry> getpwnam(String name) throws ErrnoException {
        if (name.length() > MAX_USER_NAME_BYTES || name.getBytes(StandardCharsets.UTF_8).length > MAX_USER_NAME_BYTES) {
            return Optional.empty();
        }
        int size = 4096;
        while (true) {
            Pointer pwd = Memory.allocateDirect(runtime, PASSWD_STRUCT_SIZE, true);
            Pointer buf = Memory.allocateDirect(runtime, size, true);
            PointerByReference result = new PointerByReference();
            int rc = c.getpwnam_r(name, pwd, buf, size, result);
            if (rc == ERANGE && size < (1 << 24)) {
                size *= 4;
                continue;
            }
            if (result.getValue() != null && result.getValue().address() != 0) {
                int a = runtime.addressSize();
                // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos;
                //                 char *pw_dir; char *pw_shell; }
                String pwName = pwd.getPointer(0).getString(0, Integer.MAX_VALUE, StandardCharsets.UTF_8);
                long uid = Integer.toUnsignedLong(pwd.getInt(2L * a));
                long gid = Integer.toUnsignedLong(pwd.getInt(2L * a + 4));
                String dir = pwd.getPointer(3L * a + 8).getString(0, Integer.MAX_VALUE, StandardCharsets.UTF_8);
                return Optional.of(new PasswdEntry(pwName, uid, gid, dir));
            }
            // glibc reports "no such user" as 0; NSS modules also use these (getpwnam_r(3)).
            if (rc == 0 || rc == ENOENT || rc == 3 /* ESRCH */ || rc == 9 /* EBADF */ || rc == 1 /* EPERM */) {
                return Optional.empty();
            }
            throw failure(rc);
        }
    }

    @Override
    public String strerror(int errno) {
        String s = c.strerror(errno);
        return s == null ? "errno " + errno : s;
    }
}
