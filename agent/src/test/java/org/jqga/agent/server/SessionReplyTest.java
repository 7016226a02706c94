package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.annotations.SerializedName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Base64Payload;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.dispatch.IncompleteReplyException;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.api.Connection;
import org.jqga.api.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reply whose bytes cannot all be produced ends that session's connection with one warning. */
class SessionReplyTest {
    record Read(long count, @SerializedName("buf-b64") Base64Payload bufB64) {
    }

    /** Promises 300,000 bytes, produces 100,000 ('A's), then fails as a shrunk file does. */
    static final class ShortPayload implements Base64Payload {
        int released;

        @Override
        public long size() {
            return 300_000;
        }

        @Override
        public void writeBase64(OutputStream out) throws IOException {
            out.write("QUFB".repeat(100_000 / 3).getBytes(StandardCharsets.US_ASCII));
            throw new IncompleteReplyException("t-read promised 300000 bytes but delivered 99999");
        }

        @Override
        public void release() {
            released++;
        }
    }

    private static Command<NoArguments> command(String name, Object result) {
        CommandSpec<NoArguments> spec = CommandSpec.of(name, NoArguments.class);
        return new Command<>() {
            @Override
            public CommandSpec<NoArguments> spec() {
                return spec;
            }

            @Override
            public Object execute(NoArguments arguments) {
                return result;
            }
        };
    }

    private static final class FakeConnection implements Connection {
        final InputStream in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        volatile boolean closed;

        FakeConnection(String requests) {
            in = new ByteArrayInputStream(requests.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public Peer peer() {
            return Peer.unknown("test client 7");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final Logger sessionLog = Logger.getLogger(Session.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        sessionLog.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        sessionLog.removeHandler(handler);
    }

    @Test
    void anIncompleteReplyClosesTheConnectionAfterTheRepliesBeforeItAndLogsOneWarning() {
        ShortPayload payload = new ShortPayload();
        Dispatcher dispatcher = new Dispatcher(CommandRegistry.of(command("t-ping", null),
                command("t-read", new Read(300_000, payload))), new CommandPolicy(Set.of(), Set.of(), () -> false),
                new ArgumentBinder(), new GsonBuilder().disableHtmlEscaping().create());
        // Three requests in one read: the first is answered, the second fails part-way, the third is never served.
        FakeConnection connection = new FakeConnection(
                "{\"execute\":\"t-ping\"}{\"execute\":\"t-read\",\"id\":1}{\"execute\":\"t-ping\",\"id\":2}");
        new Session(connection, dispatcher, FramerLimits.QEMU, MessageBudget.unlimited(), new RejectionLog()).run();

        assertTrue(connection.closed);
        assertEquals(1, payload.released);
        String sent = connection.out.toString(StandardCharsets.US_ASCII);
        String first = "{\"return\": {}}\n";
        assertTrue(sent.startsWith(first + "{\"return\": {\"count\": 300000, \"buf-b64\": \"QUFB"), sent.substring(0,
                Math.min(200, sent.length())));
        assertEquals(first.length() + "{\"return\": {\"count\": 300000, \"buf-b64\": \"".length() + 133_332,
                sent.length(), "nothing after the bytes that were produced");
        List<LogRecord> warnings = logged.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        assertEquals(1, warnings.size(), logged::toString);
        assertEquals("t-read promised 300000 bytes but delivered 99999; closing the connection to client test client 7"
                + " rather than send it a wrong reply", warnings.get(0).getMessage());
    }
}
