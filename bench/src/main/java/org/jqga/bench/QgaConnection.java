package org.jqga.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A QGA client over AF_UNIX that never hangs the benchmark: every read has a deadline and gives up early when the
 * agent's process has gone (the {@link AgentProcess} is asked while waiting). Replies are lines; a line can be tens
 * of MiB (a guest-file-read of 48 MiB is 64 MiB of base64), so the buffer grows and newline search resumes where
 * it stopped instead of rescanning.
 */
final class QgaConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final AgentProcess agent;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private int scanned;

    private QgaConnection(SocketChannel channel, AgentProcess agent) throws IOException {
        this.channel = channel;
        this.agent = agent;
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    static QgaConnection connect(Path socket, AgentProcess agent) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new QgaConnection(ch, agent);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    void send(String request) throws IOException {
        send(request.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
    }

    void send(byte[] bytes, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            if (write(b) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "to accept " + b.remaining() + " more request bytes");
            }
        }
    }

    /** The next reply line, newline included; the bytes are valid until the next read. */
    Line readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = Math.max(start, scanned); i < end; i++) {
                if (buf[i] == '\n') {
                    Line line = new Line(buf, start, i + 1 - start);
                    start = i + 1;
                    scanned = start;
                    return line;
                }
            }
            scanned = end;
            fill(deadline);
        }
    }

    /** Reads until {@code count} newlines have arrived (the replies to pipelined requests), keeping none of them. */
    void skipLines(int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n' && ++seen == count) {
                    start = i + 1;
                    scanned = start;
                    return;
                }
            }
            start = end;
            scanned = end;
            fill(deadline);
        }
    }

    /** Sends {@code request} and returns its reply's {@code return} member; an {@code error} reply is thrown. */
    JsonElement call(String request) throws IOException {
        send(request);
        return Line.returnOf(readLine(Duration.ofSeconds(60)).text(), request);
    }

    private void fill(long deadline) throws IOException {
        if (start == end) {
            start = end = scanned = 0;
        } else if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scanned -= start;
                start = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        while (true) {
            int n = read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (n > 0) {
                end += n;
                return;
            }
            if (n < 0) {
                throw new AgentGoneException("the agent closed the connection before replying" + agent.exitNote());
            }
            await(SelectionKey.OP_READ, deadline, "to reply");
        }
    }

    private int write(ByteBuffer b) throws IOException {
        try {
            return channel.write(b);
        } catch (IOException e) {
            throw gone("the connection broke while sending", e);
        }
    }

    private int read(ByteBuffer b) throws IOException {
        try {
            return channel.read(b);
        } catch (IOException e) {
            throw gone("the connection broke before the reply", e);
        }
    }

    /** A reset or broken pipe usually means the agent died: say so with its exit status and last words. */
    private IOException gone(String what, IOException e) {
        agent.awaitExitQuietly(2);
        return agent.alive() ? e : new AgentGoneException("the agent exited" + agent.exitNote() + "; " + what
                + ": " + e.getMessage());
    }

    private void await(int op, long deadline, String what) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            while (selector.select(100) == 0) {
                if (!agent.alive()) {
                    throw new AgentGoneException("the agent exited before it was ready " + what + agent.exitNote());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("timed out waiting for the agent " + what);
                }
            }
            selector.selectedKeys().clear();
        } finally {
            key.cancel();
            selector.selectNow();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    /** A slice of the receive buffer holding one reply. */
    record Line(byte[] bytes, int offset, int length) {
        String text() {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }

        static JsonElement returnOf(String reply, String request) throws QgaErrorException {
            JsonObject o = JsonParser.parseString(reply).getAsJsonObject();
            if (o.has("error")) {
                JsonObject e = o.getAsJsonObject("error");
                throw new QgaErrorException(e.get("class").getAsString(), e.get("desc").getAsString(), request);
            }
            if (!o.has("return")) {
                throw new QgaErrorException("Protocol", "reply without return: " + reply.strip(), request);
            }
            return o.get("return");
        }
    }

    /** The agent answered with an error object. */
    static final class QgaErrorException extends IOException {
        final String errorClass;
        final String desc;

        QgaErrorException(String errorClass, String desc, String request) {
            super(request + " -> " + errorClass + ": " + desc);
            this.errorClass = errorClass;
            this.desc = desc;
        }
    }

    /** The agent's process ended or closed the connection: what it printed says why. */
    static final class AgentGoneException extends IOException {
        AgentGoneException(String message) {
            super(message);
        }
    }
}
