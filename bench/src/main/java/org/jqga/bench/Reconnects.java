package org.jqga.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reconnect row's client: connect, {@code guest-sync-delimited}, read the reply, close; again and again on one
 * long-lived agent, as a host tool does that opens a connection per command (libvirt's agent ping, a monitoring
 * probe). The client is as light as a QGA client can be (blocking channel, no selector, one small buffer), so that
 * the figure is the agent's cost per connection and not the harness's; a watchdog thread closes a connection whose
 * reply does not come within the deadline, so the benchmark never hangs.
 */
final class Reconnects {
    private final UnixDomainSocketAddress address;
    private final AgentProcess agent;
    private final Duration timeout;
    private final ByteBuffer in = ByteBuffer.allocate(256);
    private final AtomicReference<SocketChannel> current = new AtomicReference<>();
    private volatile long deadline;
    private long id = 1_000_000;

    Reconnects(Path socket, AgentProcess agent, Duration timeout) {
        this.address = UnixDomainSocketAddress.of(socket);
        this.agent = agent;
        this.timeout = timeout;
    }

    /** {@code warmup} reconnects, then {@code batches} of {@code perBatch}: reconnects per second, per batch. */
    List<Double> rates(int warmup, int batches, int perBatch) throws IOException {
        Thread watchdog = new Thread(this::watch, "reconnect watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            for (int i = 0; i < warmup; i++) {
                once();
            }
            List<Double> rates = new ArrayList<>(batches);
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < perBatch; i++) {
                    once();
                }
                long t1 = System.nanoTime();
                rates.add(perBatch / ((t1 - t0) / 1e9));
            }
            return rates;
        } finally {
            watchdog.interrupt();
        }
    }

    /** One connection: connect, guest-sync-delimited with a fresh id, its reply checked, close. */
    void once() throws IOException {
        long n = ++id;
        byte[] request = ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + n + "}}")
                .getBytes(StandardCharsets.US_ASCII);
        deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            current.set(ch);
            try {
                ch.connect(address);
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                in.clear();
                while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                    if (!in.hasRemaining() || ch.read(in) < 0) {
                        throw new IOException("guest-sync-delimited " + n + ": the agent closed the connection"
                                + " after " + in.position() + " reply bytes" + agent.exitNote());
                    }
                }
            } catch (IOException e) {
                if (!agent.alive()) {
                    throw new QgaConnection.AgentGoneException("the agent exited" + agent.exitNote() + ": " + e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no reply to guest-sync-delimited within " + timeout);
                }
                throw e;
            } finally {
                current.set(null);
            }
        }
        in.flip();
        String reply = new String(in.array(), 0, in.limit(), StandardCharsets.ISO_8859_1);
        checkReply(reply, n);
    }

    /** The reply must be the 0xFF delimiter, then {@code {"return": ID}} and a newline. */
    static void checkReply(String reply, long id) throws IOException {
        if (reply.isEmpty() || reply.charAt(0) != '\u00ff') {
            throw new IOException("guest-sync-delimited " + id + ": the reply does not start with 0xFF: "
                    + reply.strip());
        }
        String json = reply.substring(1).strip();
        if (!json.replace(" ", "").equals("{\"return\":" + id + "}")) {
            throw new IOException("guest-sync-delimited " + id + " replied " + json);
        }
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            SocketChannel ch = current.get();
            if (ch != null && System.nanoTime() > deadline) {
                try {
                    ch.close(); // the blocked read fails; once() reports the timeout
                } catch (IOException e) {
                    // closing is all we can do
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
