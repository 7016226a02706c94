package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.agent.server.SessionFixture.BytesConnection;
import org.jqga.api.RejectionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every nesting depth up to the limit is answered, whatever the thread's stack: the sessions here run on a thread
 * with the smallest stack the JVM gives (a recursive parser or writer overflows it long before 1024 levels), and
 * an {@link Error} never ends a session without a reply and a log line.
 */
class DeepNestingTest {
    /** Far below the -Xss512k of the launcher; the JVM rounds it up to its minimum. */
    private static final long SMALL_STACK = 64 * 1024;

    @RegisterExtension
    final SessionFixture.SessionLog log = new SessionFixture.SessionLog();

    private static Command<NoArguments> command(String name, Runnable body) {
        return SessionFixture.command(name, () -> {
            body.run();
            return null;
        });
    }

    /** Runs a session over {@code requests} on a small-stack thread; what it sent, or the throwable that escaped. */
    private static String serveOnSmallStack(Dispatcher dispatcher, String requests) throws InterruptedException {
        BytesConnection connection = new BytesConnection(requests, "test client 9");
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                new Session(connection, dispatcher, FramerLimits.QEMU, MessageBudget.unlimited(), new RejectionLog())
                        .run();
            } catch (Throwable e) {
                escaped.set(e);
            }
        }, "small-stack session", SMALL_STACK);
        t.start();
        t.join();
        assertNull(escaped.get(), () -> "Session.run threw " + escaped.get());
        return connection.out.toString(StandardCharsets.US_ASCII);
    }

    private static Dispatcher dispatcher(Command<?>... commands) {
        return new Dispatcher(CommandRegistry.of(commands), new CommandPolicy(Set.of(), Set.of(), () -> false),
                new ArgumentBinder());
    }

    @Test
    void argumentsAndIdsNestedToTheLimitAreAnsweredOnASmallStack() throws Exception {
        Dispatcher dispatcher = dispatcher(command("t-ping", () -> { }));
        // The envelope is one level: 1023 more is exactly --max-nesting's default of 1024.
        String deepArray = "[".repeat(1022) + "]".repeat(1022);
        String deepId = "[".repeat(1023) + "7" + "]".repeat(1023);
        String sent = serveOnSmallStack(dispatcher,
                "{\"execute\":\"t-ping\",\"arguments\":{\"x\":" + deepArray + "}}"
                + "{\"execute\":\"t-ping\",\"id\":" + deepId + "}"
                + "{\"execute\":\"t-ping\",\"id\":" + "{\"a\":".repeat(1023) + "1" + "}".repeat(1023) + "}"
                + "{\"execute\":\"t-ping\",\"id\":\"" + "last" + "\"}");

        assertEquals("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' is unexpected\"}}\n"
                + "{\"return\": {}, \"id\": " + deepId + "}\n"
                + "{\"return\": {}, \"id\": " + "{\"a\": ".repeat(1023) + "1" + "}".repeat(1023) + "}\n"
                + "{\"return\": {}, \"id\": \"last\"}\n", sent);
    }

    @Test
    void oneLevelBeyondTheLimitIsQemusNestingErrorAndTheSessionGoesOn() throws Exception {
        Dispatcher dispatcher = dispatcher(command("t-ping", () -> { }));
        String sent = serveOnSmallStack(dispatcher, "{\"execute\":\"t-ping\",\"id\":" + "[".repeat(1024)
                + "]".repeat(1024) + "}{\"execute\":\"t-ping\",\"id\":2}");
        assertEquals("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON nesting depth limit exceeded\"}}\n"
                + "{\"return\": {}, \"id\": 2}\n", sent);
    }

    @Test
    void anErrorEscapingACommandIsAnsweredAndLoggedAndTheSessionGoesOn() throws Exception {
        Dispatcher dispatcher = dispatcher(command("t-ping", () -> { }), command("t-recurse", () -> {
            throw new StackOverflowError("t-recurse went too deep");
        }));
        String sent = serveOnSmallStack(dispatcher, "{\"execute\":\"t-recurse\",\"id\":1}{\"execute\":\"t-ping\",\"id\":2}");
        assertEquals("{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"internal error in"
                + " t-recurse: java.lang.StackOverflowError: t-recurse went too deep\"}}\n"
                + "{\"return\": {}, \"id\": 2}\n", sent);
    }

    @Test
    void anErrorOutsideAnyCommandEndsTheSessionWithAReplyAndALogLine() throws Exception {
        // The policy check is the agent's own code, outside any command: an Error there cannot be pinned on one.
        Dispatcher dispatcher = new Dispatcher(CommandRegistry.of(command("t-ping", () -> { })),
                new CommandPolicy(Set.of(), Set.of(), () -> {
                    throw new LinkageError("policy class could not be loaded");
                }), new ArgumentBinder());
        String sent = serveOnSmallStack(dispatcher, "{\"execute\":\"t-ping\",\"id\":1}{\"execute\":\"t-ping\",\"id\":2}");
        assertEquals("{\"error\": {\"class\": \"GenericError\", \"desc\": \"internal error: java.lang.LinkageError:"
                + " policy class could not be loaded; closing the connection\"}}\n", sent);
        List<LogRecord> severe = log.records.stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
        assertEquals(1, severe.size(), log.records::toString);
        assertTrue(severe.get(0).getThrown() instanceof LinkageError, severe.get(0)::toString);
    }
}
