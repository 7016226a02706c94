package org.jqga.it.support;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A QGA client over a real AF_UNIX (or TCP) socket. A reader thread splits what the agent sends into lines (each
 * response is one line, possibly preceded by 0xFF), so reads can time out instead of hanging a test.
 */
public final class QgaClient implements AutoCloseable {
    private static final byte[] EOF = new byte[0];
    private final SocketChannel channel;
    private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private QgaClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "qga-client-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static QgaClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new QgaClient(ch);
    }

    /** A client over TCP, for endpoints a supervisor passed as {@code ListenStream=IP:PORT}. */
    public static QgaClient connect(InetSocketAddress address) throws IOException {
        return new QgaClient(SocketChannel.open(address));
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (channel.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    line.write(b);
                    if (b == '\n') {
                        lines.add(line.toByteArray());
                        line.reset();
                    }
                }
                buf.clear();
            }
        } catch (IOException e) {
            // The agent closed or the test closed the channel: report end of stream below.
        }
        if (line.size() > 0) {
            lines.add(line.toByteArray());
        }
        lines.add(EOF);
    }

    public void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBytes(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next response line exactly as sent (0xFF and '\n' included); fails on timeout or end of stream. */
    public byte[] readRaw(Duration timeout) throws InterruptedException {
        byte[] l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) {
            throw new AssertionError("no response within " + timeout);
        }
        if (l == EOF) {
            lines.add(EOF);
            throw new AssertionError("the agent closed the connection");
        }
        return l;
    }

    /** Whether the agent closes the connection within {@code timeout} without sending anything more. */
    public boolean closedWithin(Duration timeout) throws InterruptedException {
        byte[] l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return l == EOF;
    }

    /** Nothing arrives within {@code quiet}. */
    public boolean silentFor(Duration quiet) throws InterruptedException {
        byte[] l = lines.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (l != null) {
            lines.add(l);
            return false;
        }
        return true;
    }

    public JsonObject read(Duration timeout) throws InterruptedException {
        String text = new String(readRaw(timeout), StandardCharsets.UTF_8);
        int brace = text.indexOf('{');
        JsonElement e = JsonParser.parseString(brace < 0 ? text : text.substring(brace));
        return e.getAsJsonObject();
    }

    /** Sends a request and returns the response object. */
    public JsonObject call(String request) throws IOException, InterruptedException {
        send(request);
        return read(Duration.ofSeconds(30));
    }

    /** Sends a request and returns the response line exactly as sent. */
    public byte[] readRawAfter(String request) throws IOException, InterruptedException {
        send(request);
        return readRaw(Duration.ofSeconds(30));
    }

    /** Half-closes the sending side: the agent sees end of stream after what was sent. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
