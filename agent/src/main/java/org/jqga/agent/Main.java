package org.jqga.agent;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.ConfigDump;
import org.jqga.agent.cli.ConfigFileException;
import org.jqga.agent.cli.Configuration;
import org.jqga.agent.cli.Help;
import org.jqga.agent.cli.UsageException;
import org.jqga.agent.commands.CommandFamilies;
import org.jqga.agent.commands.fsfreeze.FilesystemFreezer;
import org.jqga.agent.daemon.Daemon;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.dispatch.QgaSchema;
import org.jqga.agent.log.AgentLogging;
import org.jqga.agent.log.GLibMessages;
import org.jqga.agent.server.BackgroundWorks;
import org.jqga.agent.server.IdleExit;
import org.jqga.agent.server.Server;
import org.jqga.agent.state.FrozenState;
import org.jqga.agent.state.PidFile;
import org.jqga.agent.state.StateDirectory;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationException;
import org.jqga.api.Activations;
import org.jqga.api.Endpoint;
import org.jqga.api.InheritanceCleanup;
import org.jqga.api.ServiceNotifier;
import org.jqga.api.SysExits;
import org.jqga.api.Transports;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketFamily;
import sun.misc.Signal;

/**
 * resolve the configuration (file, then command line) → act on -h/-V/-b help/-D → (--daemonize: start the
 * detached agent and wait until it serves) → log, pidfile → select the activation (while another thread builds the
 * injector) → serve → notify READY → on SIGTERM/SIGINT notify STOPPING, finish in-flight commands, close, remove
 * the pidfile, exit 0. Commands are made on their first call, not here.
 */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());
    /** How long in-flight commands may take to finish after SIGTERM. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String program = System.getProperty("jqga.program", "jqga");
        long pid = ProcessHandle.current().pid();
        AgentOptions options;
        try {
            // The daemon re-reads the file its launcher has already read and warned about.
            boolean warn = !Daemon.isDaemonChild();
            options = Configuration.resolve(args, env, w -> {
                if (warn) {
                    err.print(GLibMessages.warning(pid, w));
                }
            });
        } catch (ConfigFileException e) {
            err.print(GLibMessages.critical(pid, e.getMessage()));
            return 1;
        } catch (UsageException e) {
            err.println(program + ": " + e.getMessage());
            if (e.isGetoptError()) {
                out.println("Unknown option, try '" + program + " --help' for more information.");
            } else {
                err.println("Try '" + program + " --help' for more information.");
            }
            return 1;
        }
        if (options.help()) {
            out.print(Help.text(program));
            return 0;
        }
        if (options.version()) {
            out.println("QEMU Guest Agent " + QgaSchema.QEMU_VERSION);
            out.println("jqga " + version());
            return 0;
        }
        if (options.listRpcs()) {
            CommandRegistry.declaredNames(CommandFamilies.all()).forEach(out::println);
            return 0;
        }
        if (options.dumpConf()) {
            return dumpConf(options, env, Posix.load(), out, err, pid);
        }
        if (options.daemonize() && !Daemon.isDaemonChild() && !options.explainActivation()) {
            return launchDaemon(args, env, Posix.load(), err, program);
        }
        Daemon.Child daemon = null;
        if (Daemon.isDaemonChild()) {
            try {
                daemon = Daemon.Child.detach();
            } catch (IOException e) {
                err.print(GLibMessages.critical(pid, "failed to daemonize: " + e.getMessage()));
                return SysExits.EX_OSERR;
            }
            options = withAbsolutePaths(options);
        }
        return runAgent(options, env, out, err, daemon);
    }

    private static int runAgent(AgentOptions options, Map<String, String> env, PrintStream out, PrintStream err,
                                Daemon.Child daemon) {
        long pid = ProcessHandle.current().pid();
        FrozenState frozen = new FrozenState(options);
        // Two lanes on the two cores, because neither waits for the other: this thread proves the activation's fds
        // (from /proc, no libc needed), a second builds the agent's injector and the dispatcher the first request
        // needs; the injector is waited for only once there is something to serve. libc (jnr-ffi, whose binding
        // costs about as much CPU as the injector) is bound by neither: the activation's clean-up (FD_CLOEXEC on the
        // served fds, unsetenv of LISTEN_* and NOTIFY_SOCKET) waits until serving has started, which is safe because
        // every child the agent starts is posix_spawn'ed with closefrom(3) and an environment of its own
        // (NativeLibc.spawn). Stage.DEVELOPMENT: a singleton is made when first asked for (commandWiringIsComplete in
        // the tests builds the whole graph in PRODUCTION stage, so a wiring error still fails the build).
        Posix posix = Posix.load();
        InheritanceCleanup inheritanceCleanup = InheritanceCleanup.deferred();
        CompletableFuture<Activation> chosen = new CompletableFuture<>();
        FutureTask<Injector> agent = new FutureTask<>(() -> {
            Injector injector = Guice.createInjector(Stage.DEVELOPMENT,
                    new AgentModule(options, posix, frozen, CommandFamilies.all()), new ActivationModule(chosen));
            injector.getInstance(Dispatcher.class);
            return injector;
        });
        if (!options.explainActivation()) {
            Thread builder = new Thread(agent, "injector");
            builder.setDaemon(true);
            builder.start();
        }
        AgentLogging logging;
        try {
            logging = AgentLogging.configure(options.logfile(), options.verbose(), env, err, frozen::isFrozen);
        } catch (IOException e) {
            err.print(GLibMessages.critical(pid, "unable to open specified log file: " + e.getMessage()));
            return SysExits.EX_CANTCREAT;
        }
        try {
            frozen.restore();
        } catch (IOException e) {
            LOG.severe(e.getMessage());
            return 1;
        }

        // Handlers go in before anything is bound: a SIGTERM that arrives while the activation is being set up
        // must still end in a clean exit that removes what was created, not in the JVM's default 143.
        CountDownLatch stopRequested = new CountDownLatch(1);
        // While filesystems are frozen the signals are ignored, as in qemu-ga: stopping then would leave the guest
        // frozen with nobody to thaw it, and a graceful exit may itself block on a frozen filesystem.
        Signal.handle(new Signal("TERM"), s -> stopUnlessFrozen(s, frozen, stopRequested));
        Signal.handle(new Signal("INT"), s -> stopUnlessFrozen(s, frozen, stopRequested));
        // SIGHUP, not SIGUSR1: logrotate's postrotate and systemd's ExecReload conventionally send SIGHUP, and the
        // agent has no controlling terminal whose hang-up it could mean (a daemon, or under a supervisor).
        Signal.handle(new Signal("HUP"), s -> reopenLog(logging, options));
        ActivationContext ctx = new ActivationContext(env, pid, posix, options.activationOptions(),
                Transports.load(), ActivationContext.LISTEN_FDS_START, inheritanceCleanup);
        Activations activations = Activations.load();
        if (options.explainActivation()) {
            activations.explain(ctx).forEach(out::println);
            return 0;
        }
        if (!options.statedir().equals(AgentOptions.DEFAULT_STATEDIR)) {
            // A configured state directory must be usable, as in qemu-ga; the default one (/var/run) is only
            // touched by the commands that keep state there, so that an agent run by a user starts.
            try {
                new StateDirectory(Path.of(options.statedir())).prepare();
            } catch (IOException e) {
                LOG.log(AgentLogging.CRITICAL, e.getMessage());
                return 1;
            }
        }
        // The pidfile comes first, as in qemu-ga: a second agent must be refused before it touches any socket.
        PidFile pidFile = null;
        try {
            if (options.pidfileToWrite().isPresent()) {
                pidFile = PidFile.create(Path.of(options.pidfileToWrite().get()), pid);
            }
        } catch (IOException e) {
            LOG.log(AgentLogging.CRITICAL, e.getMessage());
            return SysExits.EX_CANTCREAT;
        }
        try {
            Activation activation;
            try {
                activation = activations.select(ctx);
            } catch (ActivationException e) {
                LOG.severe(e.getMessage());
                return e.exitCode();
            }
            if (stopRequested.getCount() == 0) {
                activation.close();
                return 0;
            }
            if (options.idleExit().isPresent() && activation.ownsSockets()) {
                // Exiting would close the only listener: nobody would start the agent for the next client.
                LOG.severe("--idle-exit=" + options.idleExit().get().toSeconds() + " needs a supervisor that owns"
                        + " the sockets and starts the agent on the next connection (systemd socket activation,"
                        + " inetd wait), but " + activation.providerName() + " activation bound "
                        + activation.endpoints().stream().map(Endpoint::name).collect(Collectors.joining(", "))
                        + " itself");
                activation.close();
                return SysExits.EX_USAGE;
            }
            chosen.complete(activation);
            PrintStream terminal = announcesOnTerminal(options, daemon, posix) ? err : null;
            return serve(built(agent), activation, inheritanceCleanup, stopRequested, frozen, options, daemon, out,
                    terminal);
        } finally {
            if (pidFile != null) {
                try {
                    pidFile.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot remove pid file " + pidFile.path() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The injector the builder thread made; its failure is a wiring bug, so it is rethrown unchecked. */
    private static Injector built(FutureTask<Injector> agent) {
        try {
            return agent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the agent's injector was being built", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("building the agent's injector failed", e.getCause());
        }
    }

    private static void reopenLog(AgentLogging logging, AgentOptions options) {
        try {
            logging.reopen();
            LOG.info(() -> "SIGHUP: log file reopened" + options.logfile().map(f -> " (" + f + ")").orElse(""));
        } catch (IOException e) {
            LOG.warning("SIGHUP: cannot reopen log file " + options.logfile().orElse("") + ": " + e.getMessage()
                    + "; still writing to the previous one");
        }
    }

    /**
     * {@code --dump-conf}, after qemu-ga's resolution: socket activation (systemd's LISTEN_FDS for this pid)
     * replaces method and path by what fd 3 is; otherwise the method's default path, or qemu-ga's error.
     */
    private static int dumpConf(AgentOptions options, Map<String, String> env, Posix posix, PrintStream out,
                                PrintStream err, long pid) {
        Optional<String> activated = Optional.empty();
        if (String.valueOf(pid).equals(env.get("LISTEN_PID")) && env.getOrDefault("LISTEN_FDS", "").matches("[1-9][0-9]*")) {
            try {
                SocketFamily family = posix.socketInfo(3).family();
                if (family == SocketFamily.UNIX) {
                    activated = Optional.of("unix-listen");
                } else if (family == SocketFamily.VSOCK) {
                    activated = Optional.of("vsock-listen");
                } else {
                    err.print(GLibMessages.critical(pid, "unsupported listen fd type"));
                    return 1;
                }
            } catch (PosixException e) {
                err.print(GLibMessages.critical(pid, "Socket activation failed: fd 3: " + e.getMessage()));
                return 1;
            }
        }
        try {
            out.print(ConfigDump.render(options, activated));
            out.flush();
            return 0;
        } catch (ConfigDump.MissingPathException e) {
            err.print(GLibMessages.critical(pid, e.getMessage()));
            return 1;
        }
    }

    private static int launchDaemon(String[] args, Map<String, String> env, Posix posix, PrintStream err,
                                    String program) {
        if (String.valueOf(posix.pid()).equals(env.get("LISTEN_PID"))) {
            err.println(program + ": --daemonize cannot hand the sockets systemd passed (LISTEN_FDS) to the detached"
                    + " agent; drop --daemonize (daemon=true) and let systemd supervise the agent (Type=notify)");
            return SysExits.EX_USAGE;
        }
        try {
            return Daemon.launch(List.of(args), err);
        } catch (IOException e) {
            err.println(program + ": cannot start the daemon: " + e.getMessage());
            return SysExits.EX_OSERR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SysExits.EX_SOFTWARE;
        }
    }

    /**
     * The daemon changes to / once serving; the file paths it keeps using (channel socket to remove at exit, log
     * file to reopen, pidfile to remove) are made absolute against the directory it was started from.
     */
    private static AgentOptions withAbsolutePaths(AgentOptions o) {
        boolean filePath = !o.effectiveMethod().equals("vsock-listen");
        return new AgentOptions(o.config(), o.method(), filePath ? o.path().map(Main::absolute) : o.path(),
                o.logfile().map(Main::absolute), o.pidfile().map(Main::absolute), o.fsfreezeHook(),
                absolute(o.statedir()), o.verbose(), o.version(), o.daemonize(), o.blockRpcs(), o.allowRpcs(),
                o.dumpConf(), o.retryPath(), o.help(), o.listRpcs(), o.activation(), o.explainActivation(),
                o.listenNames(), o.idleExit(), o.allowPeerUids(), o.allowPeerCids(), o.socketMode(), o.readyFd(),
                o.serialize(), o.limits());
    }

    private static String absolute(String path) {
        return path.isEmpty() ? path : Path.of(path).toAbsolutePath().toString();
    }

    /**
     * Whether to tell a person where the agent serves: a foreground agent whose stderr is a terminal (qemu-ga says
     * nothing, and leaves whoever started it guessing whether it runs), unless {@code -v} writes the same in its
     * log line to that terminal already. /proc answers isatty, so no libc is bound for it.
     */
    private static boolean announcesOnTerminal(AgentOptions options, Daemon.Child daemon, Posix posix) {
        boolean infoOnStderr = LOG.isLoggable(Level.INFO) && options.logfile().isEmpty();
        return daemon == null && !infoOnStderr && posix.isatty(2);
    }

    /** @param terminal where to say once where the agent serves, or null (see {@link #announcesOnTerminal}) */
    private static int serve(Injector agent, Activation activation, InheritanceCleanup inheritanceCleanup,
                             CountDownLatch stopRequested, FrozenState frozen, AgentOptions options,
                             Daemon.Child daemon, PrintStream out, PrintStream terminal) {
        Server server = agent.getInstance(Server.class);
        ServiceNotifier notifier = activation.notifier();
        Thread signalWatch = new Thread(() -> {
            try {
                stopRequested.await();
                server.requestStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-request");
        signalWatch.setDaemon(true);
        signalWatch.start();

        String served = activation.endpoints().stream().map(Endpoint::name).collect(Collectors.joining(", "));
        // Logged before the first session can be: the log reads in the order things happened.
        LOG.info(() -> "activated by " + activation.providerName() + "; serving " + served);
        server.start();
        // STATUS first, so that whoever waits for READY=1 already sees what is served.
        notifier.status("serving " + activation.endpoints().size() + " endpoint"
                + (activation.endpoints().size() == 1 ? "" : "s") + ": " + served);
        notifier.ready();
        if (terminal != null) {
            terminal.println("jqga: serving " + activation.endpoints().stream().map(Endpoint::describe)
                    .collect(Collectors.joining("; ")) + "; Ctrl-C stops the agent");
            terminal.flush();
        }
        Thread cleanup = new Thread(inheritanceCleanup::runDeferred, "activation-cleanup");
        cleanup.setDaemon(true);
        cleanup.start();
        options.idleExit().ifPresent(limit -> new IdleExit(server,
                agent.getInstance(BackgroundWorks.class), limit)
                .start(server::requestStop));
        if (daemon != null) {
            try {
                daemon.ready(out);
            } catch (IOException e) {
                LOG.warning("daemon: " + e.getMessage());
            }
        }
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.stopping();
        server.stop(SHUTDOWN_GRACE);
        // Reached while frozen only when the endpoints are exhausted (signals are ignored then): qemu-ga's
        // clean-up thaws in that case, so that the guest is not left frozen by an agent that is gone.
        if (frozen.isFrozen()) {
            agent.getInstance(FilesystemFreezer.class).thawOnExit();
        }
        activation.close();
        LOG.info("stopped");
        return 0;
    }

    private static void stopUnlessFrozen(Signal signal, FrozenState frozen, CountDownLatch stopRequested) {
        if (frozen.isFrozen()) {
            // Logging is suspended while frozen; stderr is where an operator sending the signal looks.
            System.err.println("jqga: ignoring SIG" + signal.getName() + ": filesystems are frozen"
                    + " (send guest-fsfreeze-thaw first)");
            return;
        }
        stopRequested.countDown();
    }

    private static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
