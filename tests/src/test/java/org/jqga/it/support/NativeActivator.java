package org.jqga.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * A socket activator written in the test, doing what systemd does for a socket unit: it binds and listens on a
 * unix socket once, keeps it for its whole life, and starts the daemon with that socket as fd 3 plus
 * {@code LISTEN_FDS}/{@code LISTEN_PID} whenever a client is waiting and no daemon runs. A JVM cannot give a child
 * fd 3 with {@link ProcessBuilder}, so this uses libc's {@code posix_spawn} through jnr-ffi.
 */
public final class NativeActivator implements AutoCloseable {
    /** The libc calls an activator needs. */
    public interface LibC {
        int socket(int domain, int type, int protocol);
        int bind(int fd, Pointer addr, int len);
        int listen(int fd, int backlog);
        int fcntl(int fd, int cmd, int arg);
        int close(int fd);
        int poll(Pointer fds, int nfds, int timeoutMillis);
        int posix_spawn_file_actions_init(Pointer actions);
        int posix_spawn_file_actions_destroy(Pointer actions);
        int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);
        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);
        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
        int posix_spawn(IntByReference pid, String path, Pointer actions, Pointer attr, String[] argv, String[] envp);
        int waitpid(int pid, IntByReference status, int options);
        int kill(int pid, int signal);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY_CREAT_APPEND = 01 | 0100 | 02000;
    private static final int POLLIN = 1;
    private static final int WNOHANG = 1;
    private static final int SIGTERM = 15;
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private final int listenFd;
    private final Path socketPath;

    private NativeActivator(int listenFd, Path socketPath) {
        this.listenFd = listenFd;
        this.socketPath = socketPath;
    }

    /** Binds and listens on {@code path}, as a socket unit does before any daemon runs. */
    public static NativeActivator listen(Path path) throws IOException {
        int fd = check(LIBC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
        // Keep it well above 3, so the dup2 onto fd 3 in the child always makes a fresh, inheritable copy.
        int high = check(LIBC.fcntl(fd, F_DUPFD_CLOEXEC, 100), "fcntl(F_DUPFD_CLOEXEC)");
        LIBC.close(fd);
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        Pointer addr = Memory.allocateDirect(RUNTIME, 110, true);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(2, p, 0, p.length);
        check(LIBC.bind(high, addr, 2 + p.length + 1), "bind " + path);
        check(LIBC.listen(high, 64), "listen");
        return new NativeActivator(high, path);
    }

    private static int check(int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed, errno " + RUNTIME.getLastError());
        }
        return result;
    }

    /** The posix_spawn family returns an error number instead of setting errno. */
    private static void spawnCheck(int rc, String what) throws IOException {
        if (rc != 0) {
            throw new IOException(what + " failed, errno " + rc);
        }
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Whether a client is waiting in the backlog, within {@code timeout}. */
    public boolean clientWaiting(Duration timeout) throws IOException {
        Pointer pfd = Memory.allocateDirect(RUNTIME, 8, true);
        pfd.putInt(0, listenFd);
        pfd.putShort(4, (short) POLLIN);
        int n = LIBC.poll(pfd, 1, (int) timeout.toMillis());
        if (n < 0) {
            throw new IOException("poll failed, errno " + RUNTIME.getLastError());
        }
        return n > 0 && (pfd.getShort(6) & POLLIN) != 0;
    }

    /**
     * Starts {@code command} with the listener as fd 3, {@code LISTEN_FDS=1}, {@code LISTEN_FDNAMES=fdName} and
     * {@code LISTEN_PID} set to the child's own pid (a shell sets it to {@code $$} and execs, keeping the pid).
     * stdin is /dev/null; stdout and stderr are appended to {@code output}.
     */
    public int spawn(List<String> command, Map<String, String> env, String fdName, Path output) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "LISTEN_PID=$$; export LISTEN_PID; exec \"$@\"",
                "sh"));
        argv.addAll(command);
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.keySet().removeIf(k -> k.startsWith("LISTEN_") || k.equals("NOTIFY_SOCKET"));
        environment.putAll(env);
        environment.put("LISTEN_FDS", "1");
        environment.put("LISTEN_FDNAMES", fdName);
        List<String> envp = new ArrayList<>();
        environment.forEach((k, v) -> envp.add(k + "=" + v));

        Pointer actions = Memory.allocateDirect(RUNTIME, 256, true);
        spawnCheck(LIBC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            spawnCheck(LIBC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
            spawnCheck(LIBC.posix_spawn_file_actions_addopen(actions, 1, output.toString(), O_WRONLY_CREAT_APPEND,
                    0644), "addopen stdout");
            spawnCheck(LIBC.posix_spawn_file_actions_adddup2(actions, 1, 2), "adddup2 stderr");
            spawnCheck(LIBC.posix_spawn_file_actions_adddup2(actions, listenFd, 3), "adddup2 fd 3");
            // Like systemd, pass nothing else: the JVM's descriptors lack FD_CLOEXEC, and a leaked copy of a test
            // client's socket would keep that connection open after the client closed it (glibc 2.34+).
            spawnCheck(LIBC.posix_spawn_file_actions_addclosefrom_np(actions, 4), "addclosefrom_np 4");
            IntByReference pid = new IntByReference();
            int rc = LIBC.posix_spawn(pid, "/bin/sh", actions, null, argv.toArray(String[]::new),
                    envp.toArray(String[]::new));
            if (rc != 0) {
                throw new IOException("posix_spawn failed, errno " + rc);
            }
            return pid.intValue();
        } finally {
            LIBC.posix_spawn_file_actions_destroy(actions);
        }
    }

    /** The exit status of {@code pid} if it has exited (reaped now), or -1 while it runs. */
    public static int exitStatusIfExited(int pid) throws IOException {
        IntByReference status = new IntByReference();
        int rc = LIBC.waitpid(pid, status, WNOHANG);
        if (rc < 0) {
            throw new IOException("waitpid(" + pid + ") failed, errno " + RUNTIME.getLastError());
        }
        if (rc == 0) {
            return -1;
        }
        int s = status.intValue();
        return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
    }

    /** Waits for {@code pid} to exit and returns its status. */
    public static int awaitExit(int pid, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int status = exitStatusIfExited(pid);
            if (status >= 0) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("process " + pid + " did not exit within " + timeout);
    }

    /** SIGTERM, as systemd stops a service. */
    public static void terminate(int pid) {
        LIBC.kill(pid, SIGTERM);
    }

    @Override
    public void close() {
        LIBC.close(listenFd);
    }
}
