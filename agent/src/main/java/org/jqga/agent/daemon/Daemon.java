package org.jqga.agent.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code --daemonize} without fork(): a JVM cannot fork, so the command the operator ran (the "launcher") starts a
 * second JVM with the same options and arguments (the "daemon") and waits for it:
 * <ol>
 * <li>the daemon calls {@code setsid()} first (a child of the launcher is never a process-group leader, so it
 * succeeds): it has its own session and no controlling terminal; then {@code umask(077)} as qemu-ga;</li>
 * <li>it writes and locks the pidfile with its own pid, opens the log and the channel, exactly as a foreground
 * agent does; their relative paths still resolve against the launcher's working directory, which it
 * inherited;</li>
 * <li>once it is serving it changes to {@code /}, writes {@code READY} on its stdout, which is a pipe to the
 * launcher (the readiness pipe), and points fds 0, 1 and 2 at /dev/null (so, as with qemu-ga, logs are lost
 * unless {@code --logfile} is given);</li>
 * <li>the launcher relays the daemon's stderr until then, so start-up errors reach the operator, and exits 0 on
 * {@code READY}, or with the daemon's exit status if the daemon ends without being ready.</li>
 * </ol>
 * The observable result is qemu-ga's: the command returns once the agent serves, the agent runs detached in its own
 * session with / as working directory and /dev/null as standard streams, and the pidfile holds the agent's pid. One
 * difference, deliberately: a daemon that fails to start (pidfile held, channel unusable) makes the command fail,
 * where qemu-ga's parent has already exited 0.
 */
public final class Daemon {
    /** The system property that marks the daemon JVM (a property, so it never reaches guest-exec children). */
    public static final String CHILD_PROPERTY = "jqga.daemon.child";
    static final String READY = "READY";
    /** How long the launcher waits for the daemon's last stderr bytes after READY. */
    private static final long STDERR_DRAIN_MILLIS = 2000;

    private Daemon() {
    }

    /** Whether this JVM is the daemon a launcher started. */
    public static boolean isDaemonChild() {
        return Boolean.getBoolean(CHILD_PROPERTY);
    }

    /**
     * The launcher: starts the daemon JVM with {@code args} and waits until it serves. Returns the exit status for
     * the launcher: 0 once the daemon is ready, else the daemon's own exit status.
     */
    public static int launch(List<String> args, PrintStream err) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(daemonCommand(args))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        Process daemon = pb.start();
        Thread relay = new Thread(() -> copy(daemon.getErrorStream(), err), "daemon-stderr");
        relay.setDaemon(true);
        relay.start();
        boolean ready = false;
        try (BufferedReader readiness = new BufferedReader(
                new InputStreamReader(daemon.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = readiness.readLine()) != null) {
                if (line.equals(READY)) {
                    ready = true;
                    break;
                }
            }
        }
        if (ready) {
            // The daemon closes its end of the stderr pipe right after READY; wait for what it wrote before.
            relay.join(STDERR_DRAIN_MILLIS);
            err.flush();
            return 0;
        }
        int status = daemon.waitFor();
        relay.join(STDERR_DRAIN_MILLIS);
        err.flush();
        return status == 0 ? 1 : status; // a daemon that exits before serving is a failed start
    }

    /** The command that runs this same program again: same JVM, JVM options, absolute class path, arguments. */
    static List<String> daemonCommand(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String jvmArg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!jvmArg.startsWith("-D" + CHILD_PROPERTY + "=")) {
                cmd.add(jvmArg);
            }
        }
        cmd.add("-D" + CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        // Absolute, because the daemon changes to / and may still load classes afterwards.
        cmd.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        cmd.add("org.jqga.agent.Main");
        cmd.addAll(args);
        return cmd;
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The pipe closed: nothing more to relay.
        }
    }

    /** The daemon's side. */
    public static final class Child {
        private final ProcessControl control;

        private Child(ProcessControl control) {
            this.control = control;
        }

        /** First thing in the daemon: leave the launcher's session, restrict the umask as qemu-ga does. */
        public static Child detach() throws IOException {
            ProcessControl control = new ProcessControl();
            control.setsid();
            control.umask(077);
            return new Child(control);
        }

        /** The agent serves: change to /, tell the launcher, and drop the standard streams. */
        public void ready(PrintStream out) throws IOException {
            control.chdir("/");
            out.println(READY);
            out.flush();
            control.standardStreamsToDevNull();
        }
    }
}
