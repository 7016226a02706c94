package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power, clock, vCPU and memory-block commands through the agent as a real process, limited to requests that
 * cannot change the test machine: invalid arguments, empty lists, nonexistent CPUs and memory blocks, and a
 * suspend mode for which the agent finds no helper (its PATH is empty and hybrid has no /sys/power/state word).
 * What the valid requests run or write is checked against a recording seam in the agent's unit tests.
 */
class StateChangingCommandsIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration REPLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private AgentProcess start(Path socket) throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("empty-path"));
        AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + dir),
                Map.of("PATH", emptyPath.toString()));
        agent.awaitListening(socket, START);
        return agent;
    }

    private static String desc(QgaClient client, String request) throws Exception {
        JsonObject response = client.call(request);
        return response.getAsJsonObject("error").get("desc").getAsString();
    }

    @Test
    void refusedAndEmptyRequestsGetQemuGasAnswers() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = start(socket); QgaClient client = QgaClient.connect(socket)) {
            client.send("{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"bogus\"},\"id\":11}");
            assertArrayEquals(("{\"id\": 11, \"error\": {\"class\": \"GenericError\", \"desc\": \"mode is invalid"
                    + " (valid values are: halt|powerdown|reboot\"}}\n").getBytes(StandardCharsets.US_ASCII),
                    client.readRaw(REPLY));
            assertEquals("the requested suspend mode is not supported by the guest",
                    desc(client, "{\"execute\":\"guest-suspend-hybrid\"}"));
            assertEquals("Invalid time", desc(client,
                    "{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":4102444800000000000}}"));
            assertEquals("Invalid parameter type for 'time', expected: integer",
                    desc(client, "{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":\"now\"}}"));
            assertEquals("{\"return\": 0}\n", new String(client.readRawAfter(
                    "{\"execute\":\"guest-set-vcpus\",\"arguments\":{\"vcpus\":[]}}"), StandardCharsets.US_ASCII));
            assertEquals("{\"return\": []}\n", new String(client.readRawAfter(
                    "{\"execute\":\"guest-set-memory-blocks\",\"arguments\":{\"mem-blks\":[]}}"),
                    StandardCharsets.US_ASCII));
            assertEquals("open(\"/sys/devices/system/cpu/cpu1000000/\"): No such file or directory", desc(client,
                    "{\"execute\":\"guest-set-vcpus\",\"arguments\":{\"vcpus\":[{\"logical-id\":1000000,"
                            + "\"online\":true}]}}"));
            String expected = Files.isDirectory(Path.of("/sys/devices/system/memory"))
                    ? "{\"return\": [{\"response\": \"not-found\", \"error-code\": 2, \"phys-index\": 4000000000}]}\n"
                    : "{\"return\": [{\"response\": \"operation-not-supported\", \"error-code\": 2,"
                            + " \"phys-index\": 4000000000}]}\n";
            assertEquals(expected, new String(client.readRawAfter("{\"execute\":\"guest-set-memory-blocks\","
                    + "\"arguments\":{\"mem-blks\":[{\"phys-index\":4000000000,\"online\":true}]}}"),
                    StandardCharsets.US_ASCII));
        }
    }

    @Test
    void guestInfoMarksShutdownAndSuspendAsCommandsWithoutSuccessResponse() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = start(socket); QgaClient client = QgaClient.connect(socket)) {
            Map<String, Boolean> successResponse = new TreeMap<>();
            for (JsonElement c : client.call("{\"execute\":\"guest-info\"}").getAsJsonObject("return")
                    .getAsJsonArray("supported_commands")) {
                JsonObject o = c.getAsJsonObject();
                successResponse.put(o.get("name").getAsString(), o.get("success-response").getAsBoolean());
            }
            for (String name : new String[] {"guest-shutdown", "guest-suspend-disk", "guest-suspend-ram",
                    "guest-suspend-hybrid"}) {
                assertEquals(false, successResponse.get(name), name);
            }
            for (String name : new String[] {"guest-set-time", "guest-set-vcpus", "guest-set-memory-blocks",
                    "guest-fstrim", "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw"}) {
                assertEquals(true, successResponse.get(name), name);
            }
        }
    }
}
