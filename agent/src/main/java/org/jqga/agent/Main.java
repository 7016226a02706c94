package org.jqga.agent;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.cli.Help;
import org.jqga.agent.cli.UsageException;
import org.jqga.agent.commands.fsfreeze.FilesystemFreezer;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.QgaSchema;
import org.jqga.agent.log.AgentLogging;
import org.jqga.agent.server.BackgroundWork;
import org.jqga.agent.server.IdleExit;
import org.jqga.agent.server.Server;
import org.jqga.agent.state.FrozenState;
import org.jqga.agent.state.PidFile;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationException;
import org.jqga.api.Activations;
import org.jqga.api.Endpoint;
import org.jqga.api.ServiceNotifier;
import org.jqga.api.SysExits;
import org.jqga.api.Transports;
import org.jqga.api.posix.Posix;
import sun.misc.Signal;

/**
 * parse options → select the activation → build the injector → serve → notify READY → on SIGTERM/SIGINT notify
 * STOPPING, finish in-flight commands, close, remove the pidfile, exit 0.
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
        AgentOptions options;
        try {
            options = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println(program + ": " + e.getMessage());
            out.println("Unknown option, try '" + program + " --help' for more information.");
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
        Injector agent = Guice.createInjector(Stage.PRODUCTION, new AgentModule(options));
        if (options.listRpcs()) {
            agent.getInstance(CommandRegistry.class).names().forEach(out::println);
            return 0;
        }
        FrozenState frozen = agent.getInstance(FrozenState.class);
        try {
            AgentLogging.configure(options.logfile(), options.verbose(), frozen::isFrozen);
        } catch (IOException e) {
            err.println(program + ": cannot open log file " + options.logfile().orElse("") + ": " + e.getMessage());
            return SysExits.EX_CANTCREAT;
        }
        try {
            frozen.restore();
        } catch (IOException e) {
            LOG.severe(e.getMessage());
            return 1;
        }

        Posix posix = Posix.load();
        // Handlers go in before anything is bound: a SIGTERM that arrives while the activation is being set up
        // must still end in a clean exit that removes what was created, not in the JVM's default 143.
        CountDownLatch stopRequested = new CountDownLatch(1);
        // While filesystems are frozen the signals are ignored, as in qemu-ga: stopping then would leave the guest
        // frozen with nobody to thaw it, and a graceful exit may itself block on a frozen filesystem.
        Signal.handle(new Signal("TERM"), s -> stopUnlessFrozen(s, frozen, stopRequested));
        Signal.handle(new Signal("INT"), s -> stopUnlessFrozen(s, frozen, stopRequested));
        ActivationContext ctx = new ActivationContext(env, posix.pid(), posix, options.activationOptions(),
                Transports.load());
        Activations activations = Activations.load();
        if (options.explainActivation()) {
            activations.explain(ctx).forEach(out::println);
            return 0;
        }
        // The pidfile comes first, as in qemu-ga: a second agent must be refused before it touches any socket.
        PidFile pidFile = null;
        try {
            if (options.pidfile().isPresent()) {
                pidFile = PidFile.create(Path.of(options.pidfile().get()), posix.pid());
            }
        } catch (IOException e) {
            LOG.severe(e.getMessage());
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
            return serve(agent, activation, stopRequested, options);
        } finally {
            if (pidFile != null) {
                try {
                    pidFile.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot remove pid file " + options.pidfile().get() + ": " + e.getMessage());
                }
            }
        }
    }

    private static int serve(Injector agent, Activation activation, CountDownLatch stopRequested,
                             AgentOptions options) {
        Injector injector = agent.createChildInjector(new ActivationModule(activation));
        Server server = injector.getInstance(Server.class);
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
        options.idleExit().ifPresent(limit -> new IdleExit(server,
                injector.getInstance(Key.get(new TypeLiteral<Set<BackgroundWork>>() { })), limit)
                .start(server::requestStop));
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.stopping();
        server.stop(SHUTDOWN_GRACE);
        // Reached while frozen only when the endpoints are exhausted (signals are ignored then): qemu-ga's
        // clean-up thaws in that case, so that the guest is not left frozen by an agent that is gone.
        agent.getInstance(FilesystemFreezer.class).thawOnExit();
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
