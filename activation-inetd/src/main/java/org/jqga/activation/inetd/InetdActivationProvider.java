package org.jqga.activation.inetd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationException;
import org.jqga.api.Endpoint;
import org.jqga.api.EndpointKind;
import org.jqga.api.Endpoints;
import org.jqga.api.Peer;
import org.jqga.api.ServiceNotifier;
import org.jqga.api.StreamEndpoint;
import org.jqga.api.SysExits;
import org.jqga.api.posix.PeerCredentials;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.spi.ActivationProvider;
import org.jqga.api.spi.Transport;

/**
 * Activation through fd 0, the convention of inetd, UCSPI servers (s6-ipcserver, unixserver, tcpserver), s6's
 * socket binders, socat and systemd's {@code StandardInput=socket}:
 * <ul>
 * <li>a connected stream socket on fd 0 is one client: its session is served, then the agent exits;</li>
 * <li>a listening stream socket on fd 0 is accepted on like any listener (the supervisor owns it);</li>
 * <li>anything else on fd 0 (pipes, a socketpair, a file) is served as "requests from fd 0, responses to fd 1"
 * only with {@code --method=stdio} or {@code --activation=inetd}: never guessed, and a terminal never.</li>
 * </ul>
 * Asked after systemd ({@code LISTEN_FDS} wins when both apply) and before the explicit {@code --method} binds.
 */
public final class InetdActivationProvider implements ActivationProvider {
    /** {@code --activation=inetd}. */
    public static final String NAME = "inetd";
    /** Below systemd's provider (100), above the manual one (0). */
    public static final int PRIORITY = 50;
    private static final System.Logger LOG = System.getLogger(InetdActivationProvider.class.getName());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<Activation> activate(ActivationContext ctx) throws ActivationException {
        Plan plan = Plan.decide(ctx, StandardInput.inspect(ctx.posix()));
        if (plan instanceof Plan.NotMine n) {
            LOG.log(Level.DEBUG, () -> "inetd activation not used: " + n.reason());
            return Optional.empty();
        }
        if (plan instanceof Plan.Refuse r) {
            throw new ActivationException(r.exitCode(), r.message());
        }
        SupervisorEnvironment env = SupervisorEnvironment.of(ctx.env());
        Endpoint endpoint;
        if (plan instanceof Plan.ServeStdio s) {
            Peer peer = PeerNotes.annotate(Peer.unknown("stdio (requests from fd 0: " + s.input()
                    + ", responses to fd 1: " + s.output() + ")"), env);
            endpoint = Endpoints.oneShot("stdio", EndpointKind.STDIO, "stdio: requests from fd 0 (" + s.input()
                    + "), responses to fd 1 (" + s.output() + "), peer " + peer,
                    new StdioConnection(ctx.posix(), peer));
        } else {
            SocketInfo info = plan instanceof Plan.AcceptOnFd0 a ? a.info() : ((Plan.ServeConnectionOnFd0) plan).info();
            Transport transport = ctx.transports().require(info.family(), "fd 0: " + info.describe());
            releaseCopiesOfFd0(ctx.posix());
            String name = info.localAddress().isEmpty() ? "fd 0" : info.localAddress();
            endpoint = transport.adopt(0, info, name);
            if (plan instanceof Plan.ServeConnectionOnFd0) {
                if (!(endpoint instanceof StreamEndpoint stream)) {
                    endpoint.close();
                    throw new ActivationException(SysExits.EX_SOFTWARE, "fd 0: " + info.describe() + ": the "
                            + transport.name() + " transport adopted a connection as a listener");
                }
                try {
                    endpoint = PeerNotes.annotate(stream, name, env);
                } catch (IOException e) {
                    throw new ActivationException(SysExits.EX_OSERR, "fd 0: " + info.describe() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        env.problems().forEach(p -> LOG.log(Level.WARNING, p));
        methodOverridden(ctx).ifPresent(m -> LOG.log(Level.INFO, m));
        LOG.log(Level.INFO, () -> "inetd activation: " + explain(plan));
        return Optional.of(Activation.of(NAME, List.of(endpoint), ServiceNotifier.NONE, false));
    }

    /**
     * inetd and systemd's {@code StandardInput=socket} also put the socket on fd 1 and often fd 2. Anything the
     * JVM or a library prints there would reach the client in the middle of the protocol, and the copies would
     * keep the connection open after the session; they are pointed at /dev/null instead (log with --logfile).
     */
    private static void releaseCopiesOfFd0(Posix posix) throws ActivationException {
        List<Integer> released = new ArrayList<>();
        for (int fd : new int[] {1, 2}) {
            if (StandardInput.sameAsStandardInput(posix, fd)) {
                try {
                    posix.redirectToDevNull(fd);
                } catch (PosixException e) {
                    throw new ActivationException(SysExits.EX_OSERR, "fd " + fd + " is the same socket as fd 0 and"
                            + " cannot be pointed at /dev/null: " + e.getMessage(), e);
                }
                released.add(fd);
            }
        }
        if (!released.isEmpty()) {
            LOG.log(Level.INFO, () -> "fd " + (released.size() == 1 ? released.get(0) : "1 and fd 2") + " pointed"
                    + " at the same socket as fd 0 and now point at /dev/null, so only responses reach the client"
                    + (released.contains(2) ? "; log messages need --logfile" : ""));
        }
    }

    /** qemu-ga's rule for socket activation: the supervisor's socket wins over --method/--path, and we say so. */
    private static Optional<String> methodOverridden(ActivationContext ctx) {
        Optional<String> method = ctx.options().method().filter(m -> !m.equals(Plan.STDIO_METHOD));
        if (method.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("fd 0 from the supervisor wins over --method=" + method.get()
                + ctx.options().path().map(p -> " --path=" + p).orElse("")
                + ", as socket activation does in qemu-ga");
    }

    @Override
    public String explain(ActivationContext ctx) {
        Plan plan = Plan.decide(ctx, StandardInput.inspect(ctx.posix()));
        String line = explain(plan);
        if (plan instanceof Plan.AcceptOnFd0 || plan instanceof Plan.ServeConnectionOnFd0) {
            SocketInfo info = plan instanceof Plan.AcceptOnFd0 a ? a.info() : ((Plan.ServeConnectionOnFd0) plan).info();
            if (ctx.transports().forFamily(info.family()).isEmpty()) {
                line += ", but no transport for " + info.family().cName() + " is installed";
            }
            if (plan instanceof Plan.ServeConnectionOnFd0 && info.family() == SocketFamily.UNIX) {
                line += "; peer " + peerOfFd0(ctx.posix());
            }
        }
        if (!(plan instanceof Plan.NotMine) && !(plan instanceof Plan.Refuse)) {
            SupervisorEnvironment env = SupervisorEnvironment.of(ctx.env());
            line += env.summary().map(s -> "; supervisor says " + s).orElse("");
            line += methodOverridden(ctx).map(m -> "; " + m).orElse("");
        }
        return line;
    }

    private static String explain(Plan plan) {
        if (plan instanceof Plan.NotMine n) {
            return "not used: " + n.reason();
        }
        if (plan instanceof Plan.Refuse r) {
            return "cannot serve: " + r.message();
        }
        if (plan instanceof Plan.AcceptOnFd0 a) {
            return "accepts on fd 0: " + a.info().describe() + " (inetd wait, s6-ipcserver-socketbinder); the"
                    + " supervisor owns it";
        }
        if (plan instanceof Plan.ServeConnectionOnFd0 c) {
            return "serves the one client on fd 0: " + c.info().describe() + " (inetd nowait, UCSPI server, socat),"
                    + " then exits";
        }
        Plan.ServeStdio s = (Plan.ServeStdio) plan;
        return "serves stdio: requests from fd 0 (" + s.input() + "), responses to fd 1 (" + s.output()
                + "), then exits";
    }

    private static String peerOfFd0(Posix posix) {
        try {
            PeerCredentials c = posix.peerCredentials(0);
            return Peer.credentials(c.uid(), c.gid(), c.pid()).description();
        } catch (PosixException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
