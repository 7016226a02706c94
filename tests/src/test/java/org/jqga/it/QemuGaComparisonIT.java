package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real qemu-ga and jqga on the same machine, asked the same question: the answers must be the same
 * bytes (same members, values and key order), except interface counters, which move between the two calls.
 */
class QemuGaComparisonIT {
    private static final Duration REPLY = Duration.ofSeconds(10);
    private static final Pattern STATISTICS = Pattern.compile("\"statistics\": \\{[^}]*\\}");

    @TempDir
    Path dir;

    private static String ask(Path socket, String command) throws Exception {
        try (QgaClient client = QgaClient.connect(socket)) {
            client.send("{\"execute\":\"" + command + "\"}");
            return new String(client.readRaw(REPLY), StandardCharsets.UTF_8);
        }
    }

    /** Counters become 0; the members and their order stay. */
    private static String withoutCounterValues(String wire) {
        Matcher m = STATISTICS.matcher(wire);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replaceAll(": \\d+", ": 0")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"guest-get-osinfo", "guest-get-host-name", "guest-get-vcpus", "guest-get-timezone",
            "guest-network-get-interfaces"})
    void sameAnswerAsQemuGa(String command) throws Exception {
        Path qemuGa = Tools.require("qemu-ga", "qemu-guest-agent");
        Path qemuDir = Files.createDirectories(dir.resolve("qemu-ga"));
        Path qemuSocket = qemuDir.resolve("qga.sock");
        Path ourSocket = dir.resolve("jqga.sock");
        try (AgentProcess theirs = AgentProcess.start(qemuDir, List.of(qemuGa.toString(), "--method=unix-listen",
                     "--path=" + qemuSocket, "--statedir=" + qemuDir));
             AgentProcess ours = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                     "--method=unix-listen", "--path=" + ourSocket))) {
            theirs.awaitListening(qemuSocket, Duration.ofSeconds(30));
            ours.awaitListening(ourSocket, Duration.ofSeconds(30));
            String expected = ask(qemuSocket, command);
            String actual = ask(ourSocket, command);
            if (command.equals("guest-network-get-interfaces")) {
                expected = withoutCounterValues(expected);
                actual = withoutCounterValues(actual);
            }
            assertEquals(expected, actual);
        }
    }
}
