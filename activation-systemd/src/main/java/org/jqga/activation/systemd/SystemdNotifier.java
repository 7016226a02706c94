package org.jqga.activation.systemd;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jqga.api.ActivationException;
import org.jqga.api.ServiceNotifier;
import org.jqga.api.SysExits;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The {@code sd_notify} protocol without libsystemd: one datagram of newline-separated {@code KEY=VALUE}
 * assignments per notification, sent to the AF_UNIX socket named by {@code NOTIFY_SOCKET} (a path, or
 * {@code @name} for the abstract namespace). The kernel attaches our credentials for the receiver.
 *
 * <p>When the supervisor asked for a watchdog ({@code WATCHDOG_USEC}, and {@code WATCHDOG_PID} absent or ours),
 * {@link #ready()} starts pinging {@code WATCHDOG=1} every half of the timeout, as {@code sd_watchdog_enabled(3)}
 * recommends, until {@link #stopping()} or {@link #close()}.
 *
 * <p>Usable by any Java daemon: {@link #fromEnvironment} and then the {@link ServiceNotifier} methods. Like every
 * notifier it never throws; a supervisor that went away is logged.
 */
public final class SystemdNotifier implements ServiceNotifier, AutoCloseable {
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    public static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    public static final String WATCHDOG_PID = "WATCHDOG_PID";
    private static final System.Logger LOG = System.getLogger(SystemdNotifier.class.getName());

    private final String socketName;
    private final AFUNIXSocketAddress address;
    private final Optional<Duration> watchdogTimeout;
    private final AFUNIXDatagramSocket socket;
    private ScheduledExecutorService pinger;
    private boolean failureLogged;

    private SystemdNotifier(String socketName, AFUNIXSocketAddress address, Optional<Duration> watchdogTimeout)
            throws IOException {
        this.socketName = socketName;
        this.address = address;
        this.watchdogTimeout = watchdogTimeout;
        this.socket = AFUNIXDatagramSocket.newInstance();
    }

    /**
     * The notifier {@code env} asks for: empty when {@code NOTIFY_SOCKET} is not set (nobody listens), or names an
     * address family this build cannot send to (AF_VSOCK, logged). A malformed {@code NOTIFY_SOCKET} or
     * {@code WATCHDOG_USEC} is an error that names the variable.
     *
     * @param pid this process's id, compared with {@code WATCHDOG_PID}
     */
    public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> env, long pid)
            throws ActivationException {
        String value = env.get(NOTIFY_SOCKET);
        if (value == null) {
            return Optional.empty();
        }
        Optional<AFUNIXSocketAddress> address = parseAddress(value);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> watchdog = watchdogTimeout(env, pid);
        try {
            return Optional.of(new SystemdNotifier(value, address.get(), watchdog));
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_OSERR, NOTIFY_SOCKET + "=" + value
                    + ": cannot create an AF_UNIX datagram socket to notify through: " + e.getMessage(), e);
        }
    }

    /**
     * The watchdog timeout {@code env} asks this process for, as {@code sd_watchdog_enabled} decides: none when
     * {@code WATCHDOG_USEC} is absent or {@code WATCHDOG_PID} names another process.
     */
    static Optional<Duration> watchdogTimeout(Map<String, String> env, long pid) throws ActivationException {
        String usec = env.get(WATCHDOG_USEC);
        if (usec == null) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(usec);
        } catch (NumberFormatException e) {
            micros = -1;
        }
        if (micros <= 0) {
            throw new ActivationException(SysExits.EX_DATAERR, WATCHDOG_USEC + "=\"" + usec
                    + "\": expected the watchdog timeout in microseconds, a positive whole number");
        }
        String watchdogPid = env.get(WATCHDOG_PID);
        if (watchdogPid != null) {
            long other;
            try {
                other = Long.parseLong(watchdogPid);
            } catch (NumberFormatException e) {
                other = -1;
            }
            if (other <= 0) {
                throw new ActivationException(SysExits.EX_DATAERR, WATCHDOG_PID + "=\"" + watchdogPid
                        + "\": expected the process id the watchdog applies to (a positive number)");
            }
            if (other != pid) {
                return Optional.empty();
            }
        }
        return Optional.of(Duration.ofNanos(Math.multiplyExact(micros, 1000L)));
    }

    private static Optional<AFUNIXSocketAddress> parseAddress(String value) throws ActivationException {
        byte[] raw;
        if (value.startsWith("/")) {
            raw = value.getBytes(StandardCharsets.UTF_8);
        } else if (value.startsWith("@") && value.length() > 1) {
            // Abstract: a leading NUL and exactly the name's bytes; padding would change the name.
            byte[] name = value.substring(1).getBytes(StandardCharsets.UTF_8);
            raw = new byte[name.length + 1];
            System.arraycopy(name, 0, raw, 1, name.length);
        } else if (value.startsWith("vsock")) {
            LOG.log(System.Logger.Level.WARNING, NOTIFY_SOCKET + "=" + value
                    + ": AF_VSOCK notification sockets are not supported; no notifications will be sent");
            return Optional.empty();
        } else {
            throw new ActivationException(SysExits.EX_DATAERR, NOTIFY_SOCKET + "=\"" + value
                    + "\": expected an absolute socket path or @abstract-name");
        }
        if (raw.length > 107) {
            throw new ActivationException(SysExits.EX_DATAERR, NOTIFY_SOCKET + "=\"" + value + "\": " + raw.length
                    + " bytes is longer than an AF_UNIX address can be (107)");
        }
        try {
            return Optional.of(AFUNIXSocketAddress.of(raw));
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_DATAERR, NOTIFY_SOCKET + "=\"" + value + "\": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Sends {@code assignments} (one or more {@code KEY=VALUE} lines) in one datagram. Returns whether it was sent;
     * a failure is logged once.
     */
    public boolean send(String assignments) {
        return send(assignments, new FileDescriptor[0]);
    }

    private synchronized boolean send(String assignments, FileDescriptor[] fds) {
        ByteBuffer bytes = ByteBuffer.wrap(assignments.getBytes(StandardCharsets.UTF_8));
        try {
            int sent;
            if (fds.length == 0) {
                sent = socket.getChannel().send(bytes, address);
            } else {
                // junixsocket attaches SCM_RIGHTS only on a connected socket's write, not on send-to.
                try (AFUNIXDatagramSocket withFds = AFUNIXDatagramSocket.newInstance()) {
                    withFds.connect(address);
                    withFds.setOutboundFileDescriptors(fds);
                    sent = withFds.getChannel().write(bytes);
                }
            }
            if (sent != bytes.capacity()) {
                throw new IOException("short send: " + sent + " of " + bytes.capacity() + " bytes");
            }
            return true;
        } catch (IOException e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "cannot notify " + NOTIFY_SOCKET + "=" + socketName + " ("
                        + assignments.replace('\n', ' ') + "): " + e.getMessage()
                        + "; further failures are not logged");
            }
            return false;
        }
    }

    /** {@code READY=1}; starts the watchdog pinger if one was asked for. */
    @Override
    public void ready() {
        send("READY=1");
        startWatchdog();
    }

    @Override
    public void status(String text) {
        // STATUS= is a single line.
        send("STATUS=" + text.replace('\n', ' '));
    }

    /** {@code STOPPING=1}; the watchdog pinger stops, since systemd no longer expects pings. */
    @Override
    public void stopping() {
        stopWatchdog();
        send("STOPPING=1");
    }

    /** {@code RELOADING=1} with {@code MONOTONIC_USEC}, as {@code Type=notify-reload} requires. */
    @Override
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
    }

    @Override
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** Half of {@code WATCHDOG_USEC}: how often {@link #watchdog()} is called. */
    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdogTimeout.map(t -> t.dividedBy(2));
    }

    /**
     * Hands {@code fds} to systemd's file-descriptor store ({@code FDSTORE=1}, {@code FDNAME=name}); they come back
     * in {@code LISTEN_FDS} after a restart. Needs {@code FileDescriptorStoreMax=} in the unit; without it systemd
     * drops them silently.
     */
    public boolean storeFds(String name, FileDescriptor... fds) {
        Objects.requireNonNull(name, "name");
        if (fds.length == 0) {
            throw new IllegalArgumentException("storeFds needs at least one fd");
        }
        requireValidFdName(name);
        return send("FDSTORE=1\nFDNAME=" + name, fds);
    }

    /** Removes the stored fds named {@code name} ({@code FDSTOREREMOVE=1}). */
    public boolean removeStoredFds(String name) {
        requireValidFdName(name);
        return send("FDSTOREREMOVE=1\nFDNAME=" + name);
    }

    private static void requireValidFdName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == ':')) {
            throw new IllegalArgumentException("FDNAME \"" + name
                    + "\": expected 1 to 255 characters without ':' or control characters");
        }
    }

    private synchronized void startWatchdog() {
        Optional<Duration> interval = watchdogInterval();
        if (interval.isEmpty() || pinger != null) {
            return;
        }
        long nanos = Math.max(1, interval.get().toNanos());
        pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "systemd-watchdog");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleAtFixedRate(this::watchdog, 0, nanos, TimeUnit.NANOSECONDS);
        LOG.log(System.Logger.Level.DEBUG, "pinging the systemd watchdog every " + interval.get());
    }

    private synchronized void stopWatchdog() {
        if (pinger != null) {
            pinger.shutdownNow();
            pinger = null;
        }
    }

    /** Stops the pinger and closes the socket. */
    @Override
    public void close() {
        stopWatchdog();
        socket.close();
    }

    @Override
    public String toString() {
        return "systemd " + NOTIFY_SOCKET + "=" + socketName
                + watchdogTimeout.map(t -> " (watchdog " + t.toMillis() + " ms)").orElse("");
    }
}
