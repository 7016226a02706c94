package org.jqga.it.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The receiving end of {@code NOTIFY_SOCKET}, as systemd's manager holds it: an AF_UNIX datagram socket bound to a
 * path or an abstract name. Every datagram is kept, in order, so a test can assert what the agent reported.
 */
public final class NotifyReceiver implements AutoCloseable {
    private final AFUNIXDatagramSocket socket;
    private final String notifySocket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    private NotifyReceiver(AFUNIXDatagramSocket socket, String notifySocket) {
        this.socket = socket;
        this.notifySocket = notifySocket;
        this.reader = new Thread(this::readLoop, "notify-receiver");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Bound to a file-system path. */
    public static NotifyReceiver atPath(Path path) throws IOException {
        AFUNIXDatagramSocket s = AFUNIXDatagramSocket.newInstance();
        s.bind(AFUNIXSocketAddress.of(path));
        return new NotifyReceiver(s, path.toString());
    }

    /** Bound to the abstract name {@code name} (NOTIFY_SOCKET={@code @name}). */
    public static NotifyReceiver abstractName(String name) throws IOException {
        AFUNIXDatagramSocket s = AFUNIXDatagramSocket.newInstance();
        s.bind(AFUNIXSocketAddress.of(("\0" + name).getBytes(StandardCharsets.UTF_8)));
        return new NotifyReceiver(s, "@" + name);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String notifySocket() {
        return notifySocket;
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buf.clear();
                socket.getChannel().receive(buf);
                buf.flip();
                messages.add(StandardCharsets.UTF_8.decode(buf).toString());
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** Waits for the next datagram that {@code matches}; the ones before it are kept in {@link #seen()}. */
    public String await(Predicate<String> matches, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String m = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("no notification " + what + " within " + timeout + "; received so far: "
                        + seen());
            }
            synchronized (seen) {
                seen.add(m);
            }
            if (matches.test(m)) {
                return m;
            }
        }
    }

    /** Waits for a datagram that is exactly {@code message}. */
    public void awaitExactly(String message, Duration timeout) throws InterruptedException {
        await(message::equals, "'" + message + "'", timeout);
    }

    /** Every datagram consumed by {@link #await} so far. */
    public List<String> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
