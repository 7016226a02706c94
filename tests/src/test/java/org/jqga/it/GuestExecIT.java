package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-exec and guest-exec-status with real processes, through the agent running as a real process. One agent
 * serves the whole class: every test starts its own children, and the agent must cope with that anyway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuestExecIT {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private AgentProcess agent;
    private QgaClient client;

    @BeforeAll
    void start() throws Exception {
        Path socket = dir.resolve("qga.sock");
        // What a supervisor would leave in the agent's environment; none of it may reach a child.
        Map<String, String> supervision = Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "qga",
                "NOTIFY_SOCKET", dir.resolve("no-notify.sock").toString());
        agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + dir), supervision);
        agent.awaitListening(socket, START);
        client = QgaClient.connect(socket);
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        agent.close();
    }

    private JsonObject ok(String request) throws Exception {
        JsonObject response = client.call(request);
        assertTrue(response.has("return"), () -> request + " -> " + response + agent.describe());
        return response.getAsJsonObject("return");
    }

    private String error(String request) throws Exception {
        JsonObject response = client.call(request);
        assertTrue(response.has("error"), () -> request + " -> " + response);
        assertEquals("GenericError", response.getAsJsonObject("error").get("class").getAsString());
        return response.getAsJsonObject("error").get("desc").getAsString();
    }

    private long exec(String arguments) throws Exception {
        return ok("{\"execute\":\"guest-exec\",\"arguments\":" + arguments + "}").get("pid").getAsLong();
    }

    private JsonObject awaitExit(long pid) throws Exception {
        return GuestFileIT.awaitExit(client, pid);
    }

    private static String decode(JsonObject status, String member) {
        return new String(Base64.getDecoder().decode(status.get(member).getAsString()), StandardCharsets.UTF_8);
    }

    @Test
    void echoOutputIsCapturedAndTheStatusIsGoneOnceRead() throws Exception {
        long pid = exec("{\"path\":\"echo\",\"arg\":[\"-n\",\"\\\" test_str \\\"\"],\"capture-output\":true}");
        JsonObject status = awaitExit(pid);
        assertEquals(0, status.get("exitcode").getAsInt());
        assertEquals("\" test_str \"", decode(status, "out-data"));
        assertFalse(status.get("out-truncated").getAsBoolean());
        assertFalse(status.has("err-data"));
        assertFalse(status.has("signal"));
        assertEquals("PID " + pid + " does not exist",
                error("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}"));
    }

    @Test
    void catEchoesInputData() throws Exception {
        String input = Base64.getEncoder().encodeToString("line one\nline two\n".getBytes(StandardCharsets.UTF_8));
        JsonObject status = awaitExit(exec("{\"path\":\"/bin/cat\",\"input-data\":\"" + input
                + "\",\"capture-output\":\"stdout\"}"));
        assertEquals(0, status.get("exitcode").getAsInt());
        assertEquals("line one\nline two\n", decode(status, "out-data"));
    }

    @Test
    void falseExitsWithOneAndNothingCaptured() throws Exception {
        JsonObject status = awaitExit(exec("{\"path\":\"/bin/false\"}"));
        assertEquals(Set.of("exited", "exitcode"), status.keySet());
        assertEquals(1, status.get("exitcode").getAsInt());
    }

    @Test
    void aKilledProcessReportsItsSignal() throws Exception {
        JsonObject status = awaitExit(exec("{\"path\":\"sh\",\"arg\":[\"-c\",\"kill -9 $$\"]}"));
        assertEquals(Set.of("exited", "signal"), status.keySet());
        assertEquals(9, status.get("signal").getAsInt());
    }

    @Test
    void exitCodesAboveOneHundredTwentyEightAreNotMistakenForSignals() throws Exception {
        JsonObject status = awaitExit(exec("{\"path\":\"sh\",\"arg\":[\"-c\",\"exit 137\"]}"));
        assertEquals(137, status.get("exitcode").getAsInt());
        assertFalse(status.has("signal"));
    }

    @Test
    void twentyMiBOfOutputIsCutAtSixteenMiBAndMarkedTruncated() throws Exception {
        JsonObject status = awaitExit(exec("{\"path\":\"sh\",\"arg\":[\"-c\","
                + "\"head -c 20971520 /dev/zero; echo err >&2\"],\"capture-output\":\"separated\"}"));
        assertEquals(0, status.get("exitcode").getAsInt());
        byte[] out = Base64.getDecoder().decode(status.get("out-data").getAsString());
        assertEquals(16 * 1024 * 1024, out.length);
        assertTrue(status.get("out-truncated").getAsBoolean());
        assertEquals("err\n", decode(status, "err-data"));
        assertFalse(status.get("err-truncated").getAsBoolean());
    }

    @Test
    void separatedAndMergedCaptureKeepTheStreamsApartOrTogether() throws Exception {
        String script = "for i in 1 2; do echo stdout; echo stderr >&2; done";
        JsonObject separated = awaitExit(exec("{\"path\":\"sh\",\"arg\":[\"-c\",\"" + script
                + "\"],\"capture-output\":\"separated\"}"));
        assertEquals("stdout\nstdout\n", decode(separated, "out-data"));
        assertEquals("stderr\nstderr\n", decode(separated, "err-data"));
        JsonObject merged = awaitExit(exec("{\"path\":\"sh\",\"arg\":[\"-c\",\"" + script
                + "\"],\"capture-output\":\"merged\"}"));
        assertEquals("stdout\nstderr\nstdout\nstderr\n", decode(merged, "out-data"));
        assertFalse(merged.has("err-data"));
        JsonObject onlyErr = awaitExit(exec("{\"path\":\"sh\",\"arg\":[\"-c\",\"" + script
                + "\"],\"capture-output\":\"stderr\"}"));
        assertFalse(onlyErr.has("out-data"));
        assertEquals("stderr\nstderr\n", decode(onlyErr, "err-data"));
    }

    @Test
    void childrenGetNoSupervisionVariablesUnlessTheClientGivesAnEnvironment() throws Exception {
        JsonObject inherited = awaitExit(exec("{\"path\":\"env\",\"capture-output\":true}"));
        String env = decode(inherited, "out-data");
        assertFalse(env.contains("LISTEN_"), env);
        assertFalse(env.contains("NOTIFY_SOCKET"), env);
        assertTrue(env.contains("PATH="), env);
        JsonObject given = awaitExit(exec("{\"path\":\"/usr/bin/env\",\"env\":[\"ONLY=this\"],"
                + "\"capture-output\":true}"));
        assertEquals("ONLY=this\n", decode(given, "out-data"));
    }

    @Test
    void childrenInheritNoAgentDescriptorEvenWhileFilesAreOpen() throws Exception {
        Path file = dir.resolve("held-open");
        Files.writeString(file, "x");
        JsonObject opened = client.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                + "\"}}");
        assertTrue(opened.has("return"), opened::toString);
        long quiet = exec("{\"path\":\"sleep\",\"arg\":[\"30\"]}");
        long capturing = exec("{\"path\":\"sleep\",\"arg\":[\"30\"],\"capture-output\":true,"
                + "\"input-data\":\"\"}");
        try {
            Map<String, String> quietFds = settledFds(quiet);
            assertEquals(Map.of("0", "/dev/null", "1", "/dev/null", "2", "/dev/null"), quietFds);
            Map<String, String> capturingFds = settledFds(capturing);
            assertEquals(Set.of("0", "1", "2"), capturingFds.keySet(), capturingFds.toString());
            for (String target : capturingFds.values()) {
                assertTrue(target.startsWith("pipe:"), capturingFds.toString());
            }
        } finally {
            ProcessHandle.of(quiet).ifPresent(ProcessHandle::destroy);
            ProcessHandle.of(capturing).ifPresent(ProcessHandle::destroy);
        }
        assertEquals(15, awaitExit(quiet).get("signal").getAsInt());
        assertEquals(15, awaitExit(capturing).get("signal").getAsInt());
    }

    /**
     * The child's fds once its own start-up is over: sleep(1) briefly opens locale files itself. An fd inherited
     * from the agent never goes away, so waiting for only 0-2 cannot hide a leak; it ends at the deadline.
     */
    private static Map<String, String> settledFds(long pid) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, String> fds = fds(pid);
        while (!fds.keySet().equals(Set.of("0", "1", "2")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            fds = fds(pid);
        }
        return fds;
    }

    private static Map<String, String> fds(long pid) throws IOException {
        Map<String, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : entries.toList()) {
                try {
                    fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (java.nio.file.NoSuchFileException closedSinceListed) {
                    // the child closed it between the listing and this read: it is not open
                }
            }
        }
        return fds;
    }

    @Test
    void finishedChildrenAreReapedAtOnceAndTheirStatusWaitsForTheClient() throws Exception {
        long pid = exec("{\"path\":\"/bin/true\"}");
        Path proc = Path.of("/proc", Long.toString(pid));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Files.exists(proc) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(Files.exists(proc), () -> "pid " + pid + " is still in /proc: " + state(proc));
        JsonObject status = ok("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}");
        assertTrue(status.get("exited").getAsBoolean());
        assertEquals(0, status.get("exitcode").getAsInt());
    }

    private static String state(Path proc) {
        try {
            return Files.readString(proc.resolve("stat"));
        } catch (IOException e) {
            return "gone";
        }
    }

    @Test
    void badRequestsAreRefusedWithQemuGasErrors() throws Exception {
        assertEquals("Failed to execute child process \u201C/bin/invalid-cmd42\u201D (No such file or directory)",
                error("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/invalid-cmd42\"}}"));
        assertEquals("Base64 data contains invalid characters",
                error("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/cat\",\"input-data\":\"!!!\"}}"));
        assertEquals("Parameter 'capture-output' does not accept value 'everything'", error(
                "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\",\"capture-output\":\"everything\"}}"));
        assertEquals("Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput", error(
                "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\",\"capture-output\":1}}"));
        assertEquals("PID 0 does not exist", error("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":0}}"));
        assertEquals(new JsonObject(), ok("{\"execute\":\"guest-ping\"}"));
    }

    @Test
    void guestInfoListsTheNewCommandsEnabled() throws Exception {
        JsonObject info = ok("{\"execute\":\"guest-info\"}");
        Map<String, Boolean> enabled = new TreeMap<>();
        info.getAsJsonArray("supported_commands").forEach(e -> enabled.put(
                e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject().get("enabled").getAsBoolean()));
        List<String> ours = List.of("guest-file-open", "guest-file-close", "guest-file-read", "guest-file-write",
                "guest-file-seek", "guest-file-flush", "guest-exec", "guest-exec-status",
                "guest-ssh-get-authorized-keys", "guest-ssh-add-authorized-keys", "guest-ssh-remove-authorized-keys",
                "guest-set-user-password");
        assertEquals(ours.stream().collect(Collectors.toMap(n -> n, n -> true)),
                ours.stream().collect(Collectors.toMap(n -> n, n -> enabled.getOrDefault(n, false))));
    }
}
