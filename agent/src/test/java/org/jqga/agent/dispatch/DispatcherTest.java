package org.jqga.agent.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.junit.jupiter.api.Test;

class DispatcherTest {
    enum Mode { FAST, SLOW_AND_CAREFUL }

    record EchoArgs(long n, @OptionalArg String text, @OptionalArg Mode mode) {
    }

    private static final Command<EchoArgs> ECHO = new Command<>() {
        @Override
        public CommandSpec<EchoArgs> spec() {
            return CommandSpec.of("guest-sync", EchoArgs.class);
        }

        @Override
        public Object execute(EchoArgs a) {
            return a.mode() == null ? a.n() : a.mode().name();
        }
    };

    private static final Command<NoArguments> FAILS = new Command<>() {
        @Override
        public CommandSpec<NoArguments> spec() {
            return CommandSpec.of("guest-ping", NoArguments.class);
        }

        @Override
        public Object execute(NoArguments a) throws CommandException {
            throw new CommandException("failed to open file '/nonexistent': No such file or directory");
        }
    };

    private static final Command<NoArguments> BUGGY = new Command<>() {
        @Override
        public CommandSpec<NoArguments> spec() {
            return CommandSpec.of("guest-get-time", NoArguments.class);
        }

        @Override
        public Object execute(NoArguments a) {
            throw new IllegalStateException("boom");
        }
    };

    private static final Command<NoArguments> SILENT = new Command<>() {
        @Override
        public CommandSpec<NoArguments> spec() {
            return CommandSpec.of("guest-shutdown", NoArguments.class).withoutSuccessResponse();
        }

        @Override
        public Object execute(NoArguments a) {
            return null;
        }
    };

    private static final Command<EchoArgs> DELIMITED = new Command<>() {
        @Override
        public CommandSpec<EchoArgs> spec() {
            return CommandSpec.of("guest-sync-delimited", EchoArgs.class).delimited().frozenSafe();
        }

        @Override
        public Object execute(EchoArgs a) {
            return a.n();
        }
    };

    private final AtomicBoolean frozen = new AtomicBoolean();

    private Dispatcher dispatcher(Set<String> allow, Set<String> block) {
        CommandRegistry registry = CommandRegistry.of(ECHO, FAILS, BUGGY, SILENT, DELIMITED);
        return new Dispatcher(registry, new CommandPolicy(allow, block, frozen::get), new ArgumentBinder());
    }

    private String answer(String request) {
        return answer(dispatcher(Set.of(), Set.of()), request);
    }

    private static String answer(Dispatcher d, String request) {
        return new String(d.handle(parse(request)).orElseThrow(), StandardCharsets.ISO_8859_1);
    }

    /** Through the real framer, so numbers carry the int/uint/double kind qemu's parser gives them. */
    private static Frame parse(String request) {
        List<Frame> frames = new ArrayList<>();
        byte[] bytes = (request + " ").getBytes(StandardCharsets.UTF_8);
        new Framer(FramerLimits.QEMU).feed(bytes, 0, bytes.length, frames::add);
        assertEquals(1, frames.size(), frames::toString);
        return frames.get(0);
    }

    @Test
    void successEchoesTheIdInQemusByteFormat() {
        assertEquals("{\"return\": 7, \"id\": \"abc\"}\n",
                answer("{\"execute\":\"guest-sync\",\"arguments\":{\"n\":7},\"id\":\"abc\"}"));
    }

    @Test
    void anEnumArgumentIsBoundByItsWireName() {
        assertEquals("{\"return\": \"SLOW_AND_CAREFUL\"}\n",
                answer("{\"execute\":\"guest-sync\",\"arguments\":{\"n\":1,\"mode\":\"slow-and-careful\"}}"));
    }

    @Test
    void aFramingErrorIsAGenericErrorWithoutId() {
        Optional<byte[]> reply = dispatcher(Set.of(), Set.of())
                .handle(new Frame.Error("JSON parse error, stray '@'"));
        assertEquals("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '@'\"}}\n",
                new String(reply.orElseThrow(), StandardCharsets.US_ASCII));
    }

    @Test
    void envelopeProblemsAreGenericErrors() {
        assertEquals("{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}\n",
                answer("[1]"));
        assertTrue(answer("{\"id\":1}").contains("\"desc\": \"QMP input lacks member 'execute'\""));
        assertTrue(answer("{\"execute\":1}").contains("\"desc\": \"QMP input member 'execute' must be a string\""));
        assertTrue(answer("{\"execute\":\"guest-sync\",\"arguments\":[]}")
                .contains("\"desc\": \"QMP input member 'arguments' must be an object\""));
        assertTrue(answer("{\"execute\":\"guest-sync\",\"bogus\":1}")
                .contains("\"desc\": \"QMP input member 'bogus' is unexpected\""));
    }

    @Test
    void anEnvelopeErrorStillEchoesTheId() {
        assertEquals("{\"id\": 42, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member "
                + "'execute'\"}}\n", answer("{\"id\":42}"));
    }

    @Test
    void anUnknownCommandIsCommandNotFound() {
        assertEquals("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been "
                + "found\"}}\n", answer("{\"execute\":\"nope\"}"));
    }

    @Test
    void aBlockedCommandIsCommandNotFoundAndSaysItIsDisabled() {
        String reply = answer(dispatcher(Set.of(), Set.of("guest-sync")),
                "{\"execute\":\"guest-sync\",\"arguments\":{\"n\":1}}");
        assertEquals("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-sync has been "
                + "disabled: the command is not allowed\"}}\n", reply);
    }

    @Test
    void anAllowListAdmitsOnlyItsCommands() {
        Dispatcher d = dispatcher(Set.of("guest-sync"), Set.of());
        assertTrue(answer(d, "{\"execute\":\"guest-sync\",\"arguments\":{\"n\":1}}").startsWith("{\"return\""));
        assertTrue(answer(d, "{\"execute\":\"guest-ping\"}").contains("CommandNotFound"));
    }

    @Test
    void whileFrozenOnlyFrozenSafeCommandsRun() {
        frozen.set(true);
        assertTrue(answer("{\"execute\":\"guest-sync\",\"arguments\":{\"n\":1}}").contains("has been disabled"));
        assertTrue(answer("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"n\":1}}").contains("\"return\": 1"));
    }

    @Test
    void argumentProblemsAreGenericErrorsNamingTheParameter() {
        assertTrue(answer("{\"execute\":\"guest-sync\"}").contains("\"desc\": \"Parameter 'n' is missing\""));
        assertTrue(answer("{\"execute\":\"guest-sync\",\"arguments\":{\"n\":\"x\"}}")
                .contains("\"desc\": \"Invalid parameter type for 'n', expected: integer\""));
        assertTrue(answer("{\"execute\":\"guest-sync\",\"arguments\":{\"n\":1,\"zz\":2}}")
                .contains("\"desc\": \"Parameter 'zz' is unexpected\""));
        assertTrue(answer("{\"execute\":\"guest-sync\",\"arguments\":{\"n\":1,\"mode\":\"warp\"}}")
                .contains("\"desc\": \"Parameter 'mode' does not accept value 'warp'\""));
    }

    @Test
    void aCommandFailureIsAGenericErrorWithItsMessage() {
        assertEquals("{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"failed to open file "
                + "'/nonexistent': No such file or directory\"}}\n", answer("{\"execute\":\"guest-ping\",\"id\":3}"));
    }

    @Test
    void aBugInACommandIsOneLineToTheClientNotAStackTrace() {
        String reply = answer("{\"execute\":\"guest-get-time\"}");
        assertEquals("{\"error\": {\"class\": \"GenericError\", \"desc\": \"internal error in guest-get-time: "
                + "java.lang.IllegalStateException: boom\"}}\n", reply);
    }

    @Test
    void aCommandWithoutSuccessResponseSendsNothingOnSuccess() {
        assertEquals(Optional.empty(), dispatcher(Set.of(), Set.of())
                .handle(parse("{\"execute\":\"guest-shutdown\"}")));
    }

    @Test
    void aDelimitedCommandPrefixesItsReplyWithTheDelimiterByte() {
        byte[] reply = dispatcher(Set.of(), Set.of()).handle(parse(
                "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"n\":123}}")).orElseThrow();
        assertArrayEquals("\u00ff{\"return\": 123}\n".getBytes(StandardCharsets.ISO_8859_1), reply);
    }
}
