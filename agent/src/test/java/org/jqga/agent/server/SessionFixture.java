package org.jqga.agent.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.api.Connection;
import org.jqga.api.Peer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the Session tests share: a command from a lambda, a connection over bytes, and the Session log captured. */
final class SessionFixture {
    private SessionFixture() {
    }

    /** A command without arguments that answers what {@code result} gives (null: {@code {}}). */
    static Command<NoArguments> command(String name, Supplier<Object> result) {
        CommandSpec<NoArguments> spec = CommandSpec.of(name, NoArguments.class);
        return new Command<>() {
            @Override
            public CommandSpec<NoArguments> spec() {
                return spec;
            }

            @Override
            public Object execute(NoArguments arguments) {
                return result.get();
            }
        };
    }

    /** A client that sent {@code requests} and then closed its side; what the session wrote is in {@link #out}. */
    static final class BytesConnection implements Connection {
        final InputStream in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Peer peer;
        volatile boolean closed;

        BytesConnection(String requests, String peerName) {
            in = new ByteArrayInputStream(requests.getBytes(StandardCharsets.UTF_8));
            peer = Peer.unknown(peerName);
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
            return peer;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The records {@link Session}'s logger publishes during each test ({@code @RegisterExtension} it). */
    static final class SessionLog extends Handler implements BeforeEachCallback, AfterEachCallback {
        private final Logger logger = Logger.getLogger(Session.class.getName());
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void beforeEach(ExtensionContext context) {
            logger.addHandler(this);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            logger.removeHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
