package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jqga.agent.server.SessionFixture.command;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Base64Payload;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.dispatch.IncompleteReplyException;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.agent.server.SessionFixture.BytesConnection;
import org.jqga.api.RejectionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    final SessionFixture.SessionLog log = new SessionFixture.SessionLog();

    @Test
    void anIncompleteReplyClosesTheConnectionAfterTheRepliesBeforeItAndLogsOneWarning() {
        ShortPayload payload = new ShortPayload();
        Dispatcher dispatcher = new Dispatcher(CommandRegistry.of(command("t-ping", () -> null),
                command("t-read", () -> new Read(300_000, payload))), new CommandPolicy(Set.of(), Set.of(), () -> false),
                new ArgumentBinder());
        // Three requests in one read: the first is answered, the second fails part-way, the third is never served.
        BytesConnection connection = new BytesConnection(
                "{\"execute\":\"t-ping\"}{\"execute\":\"t-read\",\"id\":1}{\"execute\":\"t-ping\",\"id\":2}",
                "test client 7");
        new Session(connection, dispatcher, FramerLimits.QEMU, MessageBudget.unlimited(), new RejectionLog()).run();

        assertTrue(connection.closed);
        assertEquals(1, payload.released);
        String sent = connection.out.toString(StandardCharsets.US_ASCII);
        String first = "{\"return\": {}}\n";
        assertTrue(sent.startsWith(first + "{\"return\": {\"count\": 300000, \"buf-b64\": \"QUFB"), sent.substring(0,
                Math.min(200, sent.length())));
        assertEquals(first.length() + "{\"return\": {\"count\": 300000, \"buf-b64\": \"".length() + 133_332,
                sent.length(), "nothing after the bytes that were produced");
        List<LogRecord> warnings = log.records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        assertEquals(1, warnings.size(), log.records::toString);
        assertEquals("t-read promised 300000 bytes but delivered 99999; closing the connection to client test client 7"
                + " rather than send it a wrong reply", warnings.get(0).getMessage());
    }
}
