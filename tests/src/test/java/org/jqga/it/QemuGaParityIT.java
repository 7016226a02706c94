package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same bytes go to the real C qemu-ga (Debian qemu-guest-agent) and to jqga, and the replies must be the same
 * bytes. This is what "a host tool cannot tell the difference" means for framing, error texts, number and string
 * formatting and member order; it needs no hand-written expectations that could share our misunderstandings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuGaParityIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REPLY = Duration.ofSeconds(20);
    private static final byte[] FF = {(byte) 0xFF};

    private Path dir;
    private AgentProcess qemuGa;
    private AgentProcess jqga;
    private final AtomicInteger sentinel = new AtomicInteger(1000);

    @BeforeAll
    void startBothAgents() throws Exception {
        Path binary = Tools.find("qemu-ga").orElse(null);
        if (binary == null) {
            Tools.unavailable("qemu-ga is not installed (Debian package qemu-guest-agent)");
        }
        dir = Files.createTempDirectory("qga-parity");
        qemuGa = AgentProcess.start(dir, List.of(binary.toString(), "--method=unix-listen",
                "--path=" + dir.resolve("c.sock"), "--statedir=" + dir));
        jqga = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(), "--method=unix-listen",
                "--path=" + dir.resolve("j.sock")));
        qemuGa.awaitListening(dir.resolve("c.sock"), START);
        jqga.awaitListening(dir.resolve("j.sock"), START);
    }

    @AfterAll
    void stopBothAgents() {
        if (qemuGa != null) {
            qemuGa.close();
        }
        if (jqga != null) {
            jqga.close();
        }
    }

    static Stream<Arguments> exchanges() {
        return Stream.of(
                text("guest-sync-delimited", "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":123}}"),
                text("guest-ping", "{\"execute\":\"guest-ping\"}"),
                text("unknown command", "{\"execute\":\"nope\"}{\"execute\":\"guest-ping\"}"),
                bytes("0xFF inside a request", concat(ascii("{\"execute\":\"guest-sy"), FF,
                        ascii("{\"execute\":\"guest-ping\"}"))),
                bytes("0xFF between requests", concat(FF, FF, ascii("{\"execute\":\"guest-ping\"}"), FF)),
                text("stray bytes", "@@ {\"execute\":\"guest-ping\"}"),
                text("missing colon", "{\"execute\" \"guest-ping\"}{\"execute\":\"guest-ping\"}"),
                text("invalid keyword", "{\"execute\":nul}"),
                text("unbalanced closers", "}]{\"execute\":\"guest-ping\"}"),
                text("top-level scalars", "123 \"abc\" true [1]"),
                text("envelope without execute", "{\"id\":1}"),
                text("execute not a string", "{\"execute\":1,\"id\":\"x\"}"),
                text("unexpected envelope member", "{\"execute\":\"guest-ping\",\"foo\":1}"),
                text("arguments not an object", "{\"execute\":\"guest-ping\",\"arguments\":[]}"),
                text("unexpected argument", "{\"execute\":\"guest-ping\",\"arguments\":{\"x\":1}}"),
                text("missing argument", "{\"execute\":\"guest-sync\"}"),
                text("argument of the wrong type", "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"7\"}}"),
                text("integer beyond uint64", "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":18446744073709551616}}"),
                text("negative and large ids", "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":-1}}"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":9223372036854775807}}"),
                text("id echoed in qemu's member order and number format",
                        "{\"execute\":\"guest-ping\",\"id\":{\"b\":[1,2.5,0.1,-0,1e-400,-1.5e-7,1E3],\"a\":null,"
                                + "\"zz\":18446744073709551615,\"c\":true}}"),
                text("string escapes", "{\"execute\":\"guest-ping\",\"id\":\"tab\\t nl\\n sl\\/ q\\\" bs\\\\ "
                        + "e\\u00e9 ctl\\u0001 emoji\\ud83d\\ude00 del\\u007f\"}"),
                bytes("raw UTF-8 in a string", concat(ascii("{\"execute\":\"guest-ping\",\"id\":\""),
                        "\u00e9\u20ac".getBytes(StandardCharsets.UTF_8), ascii("\"}"))),
                bytes("invalid UTF-8 in a string", concat(ascii("{\"execute\":\"guest-ping\",\"id\":\""),
                        new byte[] {(byte) 0xC3, (byte) 0x28}, ascii("\"}"))),
                bytes("control byte in a string", concat(ascii("{\"execute\":\"guest-ping\",\"id\":\"a"),
                        new byte[] {1}, ascii("\"}{\"execute\":\"guest-ping\"}"))),
                text("single quotes", "{'execute':'guest-sync','arguments':{'id':7},'id':'it\\'s'}"),
                text("duplicate key", "{\"execute\":\"guest-ping\",\"execute\":\"guest-ping\"}"),
                text("non-string key", "{1:2}"),
                text("trailing comma", "{\"execute\":\"guest-ping\",}"),
                text("bad escape", "{\"execute\":\"guest-ping\",\"id\":\"\\x\"}"),
                // The envelope is one level: these reach the 1024 of --max-nesting exactly.
                text("arguments nested to the depth limit", "{\"execute\":\"guest-ping\",\"arguments\":{\"x\":"
                        + "[".repeat(1022) + "]".repeat(1022) + "}}"),
                text("id nested to the depth limit", "{\"execute\":\"guest-ping\",\"id\":"
                        + "[{\"k\":".repeat(511) + "[1]" + "}]".repeat(511) + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exchanges")
    void jqgaAnswersByteForByteLikeQemuGa(String name, byte[] request) throws Exception {
        List<String> expected = exchange(dir.resolve("c.sock"), request);
        List<String> actual = exchange(dir.resolve("j.sock"), request);
        assertFalse(expected.isEmpty(), name + ": every exchange here makes qemu-ga answer something");
        assertEquals(expected, actual, () -> name + ": qemu-ga and jqga differ\n" + jqga.describe());
    }

    /**
     * The one deliberate difference: a number beyond a double's range comes back from qemu-ga as C's printf
     * prints an infinity, {@code inf}, which is not JSON (a strict host parser drops the whole reply); jqga echoes
     * the literal that was sent. Both agents are asked, so this test also notices if qemu-ga ever changes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e400", "-1.5E+309", "LONG", "-LONG"})
    void numbersBeyondDoubleRangeComeBackAsSentWhereQemuGaWritesInf(String literal) throws Exception {
        String number = literal.replace("LONG", "9".repeat(400));
        byte[] request = ascii("{\"execute\":\"guest-ping\",\"id\":[" + number + "]}");
        String inf = number.startsWith("-") ? "-inf" : "inf";
        assertEquals(List.of("{\"return\": {}, \"id\": [" + inf + "]}\n"),
                exchange(dir.resolve("c.sock"), request), "qemu-ga still writes a number beyond double range as " + inf);
        assertEquals(List.of("{\"return\": {}, \"id\": [" + number + "]}\n"),
                exchange(dir.resolve("j.sock"), request), () -> "jqga echoes the literal\n" + jqga.describe());
    }

    /**
     * Sends {@code request}, then a guest-sync with a fresh id, and collects every line up to the sync's reply:
     * the sync proves the request was fully answered without waiting on a clock.
     */
    private List<String> exchange(Path socket, byte[] request) throws IOException, InterruptedException {
        int id = sentinel.incrementAndGet();
        byte[] sync = ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + id + "}}");
        String syncReply = "{\"return\": " + id + "}\n";
        List<String> lines = new ArrayList<>();
        try (QgaClient client = QgaClient.connect(socket)) {
            client.sendBytes(concat(request, ascii(" "), sync));
            while (true) {
                String line = new String(client.readRaw(REPLY), StandardCharsets.ISO_8859_1);
                if (line.equals(syncReply)) {
                    return lines;
                }
                lines.add(line);
            }
        }
    }

    private static Arguments text(String name, String request) {
        return Arguments.of(name, request.getBytes(StandardCharsets.UTF_8));
    }

    private static Arguments bytes(String name, byte[] request) {
        return Arguments.of(name, request);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
