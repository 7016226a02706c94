package org.jqga.agent.commands.exec;

import com.google.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.Limits;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.server.BackgroundWork;
import org.jqga.agent.server.BackgroundWorks;

/**
 * Starts guest-exec children and keeps their status until it has been reported once. Every child is reaped by a
 * waiter thread as soon as it ends, so none is left a zombie whether or not a client ever asks; its captured output
 * is drained by reader threads while it runs, so a chatty child never blocks on a full pipe.
 */
final class Processes implements BackgroundWork {
    private static final Logger LOG = Logger.getLogger(Processes.class.getName());
    private static final int IO_CHUNK = 64 * 1024;
    private static final long IDLE_THREAD_SECONDS = 2;
    /**
     * A child whose status has not been read yet keeps an idle agent alive: the host will ask for it, and an
     * agent that exited would answer that the pid does not exist.
     */
    @Override
    public Optional<String> running() {
        return children.keySet().stream().findFirst().map(pid -> "guest-exec child pid " + pid
                + (children.size() > 1 ? " and " + (children.size() - 1) + " more" : "") + ", status not yet read");
    }

    /** GLib's search path when PATH is not set at all. */
    private static final String DEFAULT_PATH = "/bin:/usr/bin:.";
    /** GLib quotes the program name in its spawn errors with typographic double quotes. */
    private static final char LEFT_QUOTE = 0x201C;
    private static final char RIGHT_QUOTE = 0x201D;

    /** How the child's stdout and stderr are connected. */
    enum CaptureMode { NONE, STDOUT, STDERR, SEPARATED, MERGED }

    private final Libc libc;
    private final Map<String, String> agentEnvironment;
    private final Map<Integer, ChildProcess> children = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private final int maxChildren;
    /** Children started or being started and not yet collected; reserved before the spawn. */
    private final AtomicInteger reserved = new AtomicInteger();
    private final OutputBudget outputBudget;

    @Inject
    Processes(Libc libc, AgentOptions options, BackgroundWorks works) {
        this(libc, System.getenv(), options.limits());
        works.add(this); // a child still running, or not yet collected, keeps an idle agent alive
    }

    Processes(Libc libc, Map<String, String> agentEnvironment) {
        this(libc, agentEnvironment, Limits.DEFAULTS);
    }

    Processes(Libc libc, Map<String, String> agentEnvironment, Limits limits) {
        this.libc = libc;
        this.maxChildren = limits.maxExecProcesses();
        this.outputBudget = new OutputBudget(limits.maxExecOutput());
        this.agentEnvironment = Map.copyOf(agentEnvironment);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "guest-exec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Threads are only needed while children run: idle ones end after a few seconds, so that an agent that
        // ran a thousand children returns to its baseline thread count (a cached pool would keep them a minute).
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons);
    }

    /**
     * The environment a child inherits when the client gives none: the agent's, without what describes the agent's
     * own supervision (socket activation fds, the notification socket, the watchdog), which would mislead a child.
     */
    List<String> inheritedEnvironment() {
        List<String> env = new ArrayList<>();
        agentEnvironment.forEach((k, v) -> {
            if (!k.startsWith("LISTEN_") && !k.equals("NOTIFY_SOCKET") && !k.equals("WATCHDOG_PID")
                    && !k.equals("WATCHDOG_USEC")) {
                env.add(k + "=" + v);
            }
        });
        return env;
    }

    /**
     * Where {@code path} is run from: as given when it contains a slash, else the first executable file of that
     * name in PATH (from {@code env} when the client gave an environment holding PATH, else the agent's).
     */
    String resolve(String path, Optional<List<String>> env) throws ErrnoException {
        if (path.contains("/")) {
            return path;
        }
        if (path.isEmpty()) {
            throw new ErrnoException(Libc.ENOENT, libc.strerror(Libc.ENOENT));
        }
        String search = null;
        if (env.isPresent()) {
            for (String e : env.get()) {
                if (e.startsWith("PATH=")) {
                    search = e.substring("PATH=".length());
                    break;
                }
            }
        }
        if (search == null) {
            search = agentEnvironment.getOrDefault("PATH", DEFAULT_PATH);
        }
        boolean denied = false;
        for (String dir : search.split(":", -1)) {
            String candidate = dir.isEmpty() ? path : dir + "/" + path;
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p) && libc.isExecutable(candidate)) {
                return candidate;
            }
            denied |= Files.exists(p);
        }
        int errno = denied ? Libc.EACCES : Libc.ENOENT;
        throw new ErrnoException(errno, libc.strerror(errno));
    }

    /** Starts the child and returns its pid. */
    int start(String path, List<String> args, Optional<List<String>> env, Optional<byte[]> input, CaptureMode mode)
            throws CommandException {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(path);
        argv.addAll(args);
        LOG.fine(() -> "guest-exec called: \"" + String.join(" ", argv) + "\"");
        if (reserved.incrementAndGet() > maxChildren) {
            reserved.decrementAndGet();
            throw new CommandException("too many guest-exec processes: " + maxChildren + " are running or have a"
                    + " status not yet read (--max-exec-processes); collect them with guest-exec-status first");
        }
        boolean started = false;
        try {
            int pid = spawn(path, argv, env, input, mode);
            started = true;
            return pid;
        } finally {
            if (!started) {
                reserved.decrementAndGet();
            }
        }
    }

    private int spawn(String path, List<String> argv, Optional<List<String>> env, Optional<byte[]> input,
                      CaptureMode mode) throws CommandException {
        List<Integer> parentEnds = new ArrayList<>();
        List<Integer> childEnds = new ArrayList<>();
        try {
            String executable = resolve(path, env);
            int[] in = input.isPresent() ? pipe(parentEnds, childEnds, 0) : null;
            boolean captureOut = mode == CaptureMode.STDOUT || mode == CaptureMode.SEPARATED
                    || mode == CaptureMode.MERGED;
            boolean captureErr = mode == CaptureMode.STDERR || mode == CaptureMode.SEPARATED;
            int[] out = captureOut ? pipe(parentEnds, childEnds, 1) : null;
            int[] err = captureErr ? pipe(parentEnds, childEnds, 1) : null;
            int stderr = mode == CaptureMode.MERGED ? Libc.SAME_AS_STDOUT : err != null ? err[1] : Libc.DEV_NULL;
            int pid = libc.spawn(executable, argv, env.orElseGet(this::inheritedEnvironment),
                    in != null ? in[0] : Libc.DEV_NULL, out != null ? out[1] : Libc.DEV_NULL, stderr, false);
            closeAll(childEnds);
            parentEnds.clear();
            ChildProcess child = new ChildProcess(pid, out != null ? new Capture(Capture.LIMIT, outputBudget) : null,
                    err != null ? new Capture(Capture.LIMIT, outputBudget) : null);
            ChildProcess stale = children.put(pid, child);
            if (stale != null) {
                forget(stale);
                LOG.warning("pid " + pid + " was reused before the status of its previous guest-exec process was"
                        + " read; that status is lost");
            }
            threads.execute(() -> reap(child));
            if (out != null) {
                threads.execute(() -> drain(out[0], child.out()));
            }
            if (err != null) {
                threads.execute(() -> drain(err[0], child.err()));
            }
            if (in != null) {
                byte[] data = input.get();
                threads.execute(() -> feed(in[1], data));
            }
            return pid;
        } catch (ErrnoException e) {
            closeAll(childEnds);
            closeAll(parentEnds);
            // GLib's text, with its typographic quotes.
            throw new CommandException("Failed to execute child process " + LEFT_QUOTE + path + RIGHT_QUOTE + " ("
                    + e.getMessage() + ")");
        }
    }

    /** Creates a pipe; {@code childSide} says which end (0 = read, 1 = write) the child gets. */
    private int[] pipe(List<Integer> parentEnds, List<Integer> childEnds, int childSide) throws ErrnoException {
        int[] fds = libc.pipe();
        childEnds.add(fds[childSide]);
        parentEnds.add(fds[1 - childSide]);
        return fds;
    }

    private void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            closeQuietly(fd);
        }
        fds.clear();
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (ErrnoException e) {
            LOG.warning("cannot close fd " + fd + ": " + e.getMessage());
        }
    }

    private void reap(ChildProcess child) {
        try {
            child.reaped(libc.waitpid(child.pid()));
        } catch (ErrnoException e) {
            LOG.log(Level.SEVERE, "cannot wait for guest-exec child " + child.pid() + ": " + e.getMessage());
        }
    }

    private void drain(int fd, Capture capture) {
        byte[] buf = new byte[IO_CHUNK];
        try {
            int n;
            while ((n = libc.read(fd, buf, 0, buf.length)) > 0) {
                capture.append(buf, n);
            }
        } catch (ErrnoException e) {
            LOG.warning("reading a guest-exec child's output failed: " + e.getMessage());
        } finally {
            closeQuietly(fd);
            capture.close();
        }
    }

    private void feed(int fd, byte[] data) {
        try {
            int done = 0;
            while (done < data.length) {
                done += libc.write(fd, data, done, data.length - done);
            }
        } catch (ErrnoException e) {
            // EPIPE: the child closed its stdin or exited without reading all of it; qemu-ga just stops too.
            LOG.fine(() -> "writing input-data to a guest-exec child stopped: " + e.getMessage());
        } finally {
            closeQuietly(fd);
        }
    }

    /** The status of a child started by guest-exec; a finished child's entry is removed once reported. */
    ExecCommands.ExecStatus status(long pid) throws CommandException {
        ChildProcess child = pid == (int) pid ? children.get((int) pid) : null;
        if (child == null) {
            throw new CommandException("PID " + pid + " does not exist");
        }
        ExecCommands.ExecStatus status = child.status();
        if (status.exited()) {
            if (!children.remove((int) pid, child)) {
                // Another client collected it at the same moment: only one of them may see it.
                throw new CommandException("PID " + pid + " does not exist");
            }
            forget(child);
        }
        return status;
    }

    /** A collected (or lost) child no longer counts against the limits. */
    private void forget(ChildProcess child) {
        reserved.decrementAndGet();
        if (child.out() != null) {
            child.out().release();
        }
        if (child.err() != null) {
            child.err().release();
        }
    }
}
