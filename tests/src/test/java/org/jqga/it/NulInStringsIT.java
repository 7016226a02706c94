package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A U+0000 in a string argument would end the C string the agent hands to the system, so that it acts on a
 * shorter value than the client sent (issue 19): every such request is refused, naming the parameter, before
 * anything runs. Only commands that are harmless if the refusal were missing are sent here (reading a file,
 * running {@code /bin/sh -c true}, listing keys); the binder's unit test covers the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NulInStringsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;
    private AgentProcess agent;
    private QgaClient client;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("nul-it");
        Files.writeString(dir.resolve("secret"), "the secret");
        Path socket = dir.resolve("qga.sock");
        agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + dir));
        agent.awaitListening(socket, WAIT);
        client = QgaClient.connect(socket);
    }

    @AfterAll
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("path", "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + dir
                        + "/secret\\u0000.log\"}}"),
                Arguments.of("mode", "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + dir
                        + "/secret\",\"mode\":\"r\\u0000w\"}}"),
                Arguments.of("path", "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\\u0000ignored\","
                        + "\"arg\":[\"-c\",\"true\"]}}"),
                Arguments.of("arg[1]", "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\","
                        + "\"arg\":[\"-c\",\"true\\u0000; echo cut\"]}}"),
                Arguments.of("env[0]", "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\","
                        + "\"env\":[\"X=1\\u0000Y=2\"]}}"),
                Arguments.of("username", "{\"execute\":\"guest-ssh-get-authorized-keys\",\"arguments\":"
                        + "{\"username\":\"root\\u0000x\"}}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("requests")
    void aNulInAStringArgumentIsRefusedNamingTheParameter(String parameter, String request) throws Exception {
        JsonObject reply = client.call(request);
        JsonObject error = reply.getAsJsonObject("error");
        assertEquals("GenericError", error == null ? reply.toString() : error.get("class").getAsString());
        assertEquals("Parameter '" + parameter + "' must not contain U+0000 (NUL): the system would cut the value"
                + " there", error.get("desc").getAsString());
    }

    @Test
    void aFileIsNotCreatedUnderTheNameBeforeTheNul() throws Exception {
        JsonObject reply = client.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + dir
                + "/new\\u0000.txt\",\"mode\":\"w\"}}");
        assertEquals("Parameter 'path' must not contain U+0000 (NUL): the system would cut the value there",
                reply.getAsJsonObject("error") == null ? reply.toString()
                        : reply.getAsJsonObject("error").get("desc").getAsString());
        assertFalse(Files.exists(dir.resolve("new")), "the agent created " + dir.resolve("new"));
    }
}
