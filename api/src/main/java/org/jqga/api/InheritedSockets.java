package org.jqga.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jqga.api.posix.Posix;
import org.jqga.api.spi.ActivationProvider;

/**
 * The sockets a supervisor passed to this process, for any Java daemon: systemd's {@code LISTEN_FDS} (several,
 * named by {@code LISTEN_FDNAMES}), inetd's and UCSPI servers' fd 0, s6's socket binders; and whom to tell that
 * the daemon is ready.
 *
 * <pre>{@code
 * try (InheritedSockets inherited = InheritedSockets.take()) {
 *     for (InheritedSocket socket : inherited.sockets()) {
 *         if (socket.listening()) {
 *             serve(socket.name(), socket.listener());    // a ServerSocketChannel
 *         } else {
 *             answer(socket.connection());                 // a SocketChannel: inetd nowait, Accept=yes
 *         }
 *     }
 *     if (inherited.sockets().isEmpty()) {
 *         serve("own", bindYourOwn());                     // started plainly
 *     }
 *     inherited.notifier().ready();                        // READY=1, or s6's readiness newline
 *     inherited.notifier().status("serving");
 * }
 * }</pre>
 *
 * <p>The activation providers on the class path (found with {@link java.util.ServiceLoader}, asked in priority
 * order as {@link Activations} asks them: jqga-activation-systemd, then jqga-activation-inetd) prove every fd
 * with the kernel before it is used; a fd that is not what the supervisor promised is an
 * {@link ActivationException} naming the fd, what it is and what was expected. Providers that bind or open
 * endpoints themselves (jqga-activation-manual) are not asked. The transports on the class path give the channels
 * (AF_UNIX and TCP are built in; AF_VSOCK needs jqga-transport-vsock); see {@link InheritedSocket}.
 *
 * <p>The sockets are taken once per process: the served fds are marked close-on-exec, and the supervisor's
 * variables ({@code LISTEN_*}, {@code NOTIFY_SOCKET}, {@code WATCHDOG_*}) are removed from the C environment, as
 * {@code sd_listen_fds(1)} does. The JVM's {@link System#getenv()} is a snapshot taken before that: a daemon that
 * starts children with a {@link ProcessBuilder} removes them from its environment with
 * {@link ActivationEnvironment#removeFrom}.
 */
public final class InheritedSockets implements AutoCloseable {
    /**
     * Whether this process's sockets were taken. Process-wide because the fds and the environment are: the JVM's
     * {@code System.getenv()} still shows {@code LISTEN_FDS} after the first take, and a second would give every fd
     * a second owner.
     */
    private static final AtomicBoolean TAKEN = new AtomicBoolean();

    private final Activations.Selection selection;
    private final List<InheritedSocket> sockets;
    private final List<String> explanation;

    private InheritedSockets(Activations.Selection selection, List<InheritedSocket> sockets,
                             List<String> explanation) {
        this.selection = selection;
        this.sockets = List.copyOf(sockets);
        this.explanation = List.copyOf(explanation);
    }

    /**
     * Takes the sockets this process was passed.
     *
     * @return the sockets (none when the process was started plainly), the notifier and the explanation
     *
     * @throws ActivationException when a supervisor clearly passed sockets but they cannot be served (the message
     *                             names the fd or variable; {@link ActivationException#exitCode()} is a
     *                             {@code sysexits.h} status to exit with)
     * @throws IllegalStateException when called a second time in this process
     */
    public static InheritedSockets take() throws ActivationException {
        return takeOnce(OptionalInt.empty());
    }

    /**
     * {@link #take()}, and s6's readiness protocol on {@code readyFd} (the number in the service directory's
     * {@code notification-fd} file): {@link ServiceNotifier#ready()} writes a newline there and closes it.
     *
     * @param readyFd the write end of s6-supervise's notification pipe
     * @return as {@link #take()}
     *
     * @throws ActivationException also when {@code readyFd} is not open or not the write end of a pipe
     */
    public static InheritedSockets take(int readyFd) throws ActivationException {
        return takeOnce(OptionalInt.of(readyFd));
    }

    private static InheritedSockets takeOnce(OptionalInt readyFd) throws ActivationException {
        if (!TAKEN.compareAndSet(false, true)) {
            throw new IllegalStateException("InheritedSockets.take() was called before in this process: the"
                    + " inherited sockets are taken once, by one owner");
        }
        return take(Activations.load(), System.getenv(), Posix.load(), ActivationContext.LISTEN_FDS_START,
                Transports.load(), readyFd);
    }

    /** The take, with everything a test replaces as a parameter (a JVM cannot give a test fd 3). */
    static InheritedSockets take(Activations activations, Map<String, String> env, Posix posix, int firstListenFd,
                                 Transports installed, OptionalInt readyFd) throws ActivationException {
        ActivationOptions.Builder options = ActivationOptions.builder();
        readyFd.ifPresent(options::readyFd);
        ChannelAdoption adoption = new ChannelAdoption(posix);
        ActivationContext ctx = new ActivationContext(env, posix.pid(), posix, options.build(),
                adoption.wrap(installed), firstListenFd);
        List<ActivationProvider> asked = activations.providers().stream().filter(p -> !p.createsEndpoints())
                .collect(Collectors.toList());
        // Before activating: activation consumes what the explanation describes (variables, fds not served).
        List<String> explanation = activations.explain(ctx, asked);
        Activations.Selection selection = activations.selectIfAny(ctx, asked);
        List<InheritedSocket> sockets = adoption.adopted();
        int endpoints = selection.activation().map(a -> a.endpoints().size()).orElse(0);
        if (sockets.size() != endpoints) {
            String provider = selection.activation().map(Activation::providerName).orElse("?");
            selection.close();
            throw new ActivationException(SysExits.EX_SOFTWARE, "the " + provider + " activation provider serves "
                    + endpoints + " endpoint(s), of which " + sockets.size() + " are sockets adopted through a"
                    + " transport; InheritedSockets hands out sockets only");
        }
        return new InheritedSockets(selection, sockets, explanation);
    }

    /**
     * {@return the sockets, in the order the supervisor passed them} That is {@code LISTEN_FDS} order; systemd
     * leaves the order between socket units undefined, so tell them apart by {@link InheritedSocket#name()}. Empty
     * when the process was started without any.
     */
    public List<InheritedSocket> sockets() {
        return sockets;
    }

    /** {@return the provider that found the sockets, {@code systemd} or {@code inetd}; empty when none were passed} */
    public Optional<String> activatedBy() {
        return selection.activation().map(Activation::providerName);
    }

    /**
     * {@return whom to tell about the daemon's state} That is systemd's {@code NOTIFY_SOCKET} ({@code READY=1},
     * {@code STATUS=}, {@code STOPPING=1}, the watchdog, also for a {@code Type=notify} unit that passed no
     * sockets), s6's readiness fd, both, or {@link ServiceNotifier#NONE}. It never throws: a supervisor that went
     * away is logged.
     */
    public ServiceNotifier notifier() {
        return selection.notifier();
    }

    /**
     * {@return one line per provider: what it saw and what it did or would do} As {@code jqga --explain-activation}
     * prints them.
     */
    public List<String> explanation() {
        return explanation;
    }

    /**
     * Releases every socket (a listener shared with a supervisor goes on listening there; see
     * {@link InheritedSocket}) and the notifier.
     */
    @Override
    public void close() {
        selection.close();
    }

    @Override
    public String toString() {
        return activatedBy().map(p -> p + " " + sockets).orElse("no inherited sockets");
    }
}
