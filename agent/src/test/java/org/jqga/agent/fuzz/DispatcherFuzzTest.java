package org.jqga.agent.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.junit.jupiter.api.AfterAll;

/**
 * The dispatcher with every command registered, in the {@link SandboxedAgent}. Each input is a short conversation:
 * requests for registered commands (chosen by the fuzzer) with fuzzed argument text, or raw fuzzed bytes, all
 * through the framer as a client's bytes would go. Properties: every response is one JSON object line with
 * {@code return} or {@code error}; no command fails with an internal error (an unexpected exception is a bug the
 * client would see as {@code internal error in ...}); nothing escapes the dispatcher.
 */
class DispatcherFuzzTest {
    private static final SandboxedAgent AGENT = SandboxedAgent.create("--max-file-handles=16",
            "--max-message-size=64K", "--max-nesting=64");
    private static final List<String> NAMES = AGENT.registry.all().stream().map(c -> c.spec().name()).toList();
    private static final String SANDBOX_FILE = AGENT.sandbox.resolve("files").resolve("f").toString();

    @AfterAll
    static void cleanUp() throws Exception {
        try (var files = java.nio.file.Files.walk(AGENT.sandbox)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void everyRequestGetsAWellFormedAnswer(FuzzedDataProvider data) {
        List<Long> handles = new ArrayList<>();
        int requests = data.consumeInt(1, 4);
        for (int i = 0; i < requests && data.remainingBytes() > 0; i++) {
            byte[] bytes;
            if (data.consumeBoolean()) {
                bytes = data.consumeBytes(data.consumeInt(0, 512));
            } else {
                String name = NAMES.get(data.consumeInt(0, NAMES.size() - 1));
                String arguments = data.consumeBoolean() ? data.consumeString(256)
                        : "{\"path\":\"" + SANDBOX_FILE + "\",\"mode\":\"" + data.consumeAsciiString(3)
                        + "\",\"handle\":" + data.consumeLong(999, 1100) + ",\"count\":" + data.consumeInt(-1, 4096)
                        + ",\"buf-b64\":\"" + data.consumeAsciiString(16) + "\"}";
                bytes = ("{\"execute\":\"" + name + "\",\"arguments\":" + arguments + ",\"id\":" + i + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            converse(bytes, handles);
        }
        // The agent is shared by all inputs: undo what a conversation left behind.
        for (long h : handles) {
            converse(("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + h + "}}")
                    .getBytes(StandardCharsets.UTF_8), new ArrayList<>());
        }
        converse("{\"execute\":\"guest-fsfreeze-thaw\"}".getBytes(StandardCharsets.UTF_8), new ArrayList<>());
    }

    private static void converse(byte[] bytes, List<Long> handles) {
        Framer framer = new Framer(new FramerLimits(64 << 10, 1 << 16, 64));
        List<Frame> frames = new ArrayList<>();
        framer.feed(bytes, 0, bytes.length, frames::add);
        for (Frame f : frames) {
            Optional<byte[]> response = AGENT.dispatcher.handle(f);
            response.ifPresent(r -> check(r, handles));
        }
    }

    private static void check(byte[] response, List<Long> handles) {
        int start = response.length > 0 && response[0] == (byte) 0xFF ? 1 : 0;
        String line = new String(response, start, response.length - start, StandardCharsets.US_ASCII);
        if (!line.endsWith("\n") || line.indexOf('\n') != line.length() - 1) {
            throw new AssertionError("not one line: " + line);
        }
        JsonElement json = JsonParser.parseString(line);
        JsonObject o = json.getAsJsonObject();
        if (o.has("error")) {
            String desc = o.getAsJsonObject("error").get("desc").getAsString();
            if (desc.startsWith("internal error in ")) {
                throw new AssertionError("a command failed with an unexpected exception: " + desc);
            }
        } else if (!o.has("return")) {
            throw new AssertionError("neither return nor error: " + line);
        } else if (o.get("return").isJsonPrimitive() && o.get("return").getAsJsonPrimitive().isNumber()) {
            handles.add(o.get("return").getAsLong()); // maybe a file handle: closed after the input
        }
    }

    static List<CommandRegistry.Entry<?>> commands() {
        return AGENT.registry.all();
    }
}
