package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jqga.agent.dispatch.QgaSchema;
import org.jqga.agent.state.FrozenState;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.LoopExt4;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-fsfreeze-* through the agent as a real process on a real loop-mounted ext4 filesystem. Only
 * guest-fsfreeze-freeze-list naming that filesystem is sent: a plain guest-fsfreeze-freeze would freeze the test
 * machine's own filesystems.
 */
class FsfreezeIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private LoopExt4 fs;
    private Path statedir;
    private Path hookLog;
    private final List<Process> writers = new ArrayList<>();

    @BeforeEach
    void mount() throws Exception {
        fs = LoopExt4.create(dir);
        statedir = Files.createDirectories(dir.resolve("state"));
        hookLog = dir.resolve("hook.log");
    }

    @AfterEach
    void unmount() throws Exception {
        fs.close(); // thaws first, so a writer left blocked by a failed test can finish
        for (Process w : writers) {
            w.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Path hook(String body) throws IOException {
        Path hook = dir.resolve("fsfreeze-hook");
        Files.writeString(hook, "#!/bin/sh\necho \"$@\" >> " + hookLog + "\n" + body);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        return hook;
    }

    private AgentProcess start(Path socket, Path hook) throws Exception {
        AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + statedir, "--fsfreeze-hook=" + hook));
        agent.awaitListening(socket, START);
        return agent;
    }

    private String freezeList() {
        return "{\"execute\":\"guest-fsfreeze-freeze-list\",\"arguments\":{\"mountpoints\":[\""
                + fs.mountpoint() + "\"]}}";
    }

    private String hookCalls() throws IOException {
        return Files.exists(hookLog) ? Files.readString(hookLog) : "";
    }

    /** A shell that writes a file on the filesystem: while it is frozen, the kernel holds it in open(). */
    private Process writer(Path file) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "echo resumed > \"$1\"", "writer", file.toString()).start();
        writers.add(p);
        return p;
    }

    /** Waits until the process sleeps uninterruptibly in the kernel (state D in /proc/PID/stat). */
    private static void awaitBlockedInKernel(Process p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the writer finished although the filesystem is frozen");
            String s = Files.readString(stat);
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("D")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the writer never blocked on the frozen filesystem");
    }

    private static Set<String> enabled(QgaClient client) throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonElement c : client.call("{\"execute\":\"guest-info\"}").getAsJsonObject("return")
                .getAsJsonArray("supported_commands")) {
            if (c.getAsJsonObject().get("enabled").getAsBoolean()) {
                names.add(c.getAsJsonObject().get("name").getAsString());
            }
        }
        return names;
    }

    private static Set<String> registered(QgaClient client) throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonElement c : client.call("{\"execute\":\"guest-info\"}").getAsJsonObject("return")
                .getAsJsonArray("supported_commands")) {
            names.add(c.getAsJsonObject().get("name").getAsString());
        }
        return names;
    }

    private static void assertDisabled(QgaClient client, String command) throws Exception {
        JsonObject error = client.call("{\"execute\":\"" + command + "\",\"arguments\":{\"vcpus\":[]}}")
                .getAsJsonObject("error");
        assertEquals("CommandNotFound", error.get("class").getAsString());
        assertEquals("Command " + command + " has been disabled: the command is not allowed",
                error.get("desc").getAsString());
    }

    @Test
    void aWriterBlocksWhileFrozenAndResumesAfterThawWithTheHookCalledAroundIt() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path hook = hook("exit 0\n");
        try (AgentProcess agent = start(socket, hook); QgaClient client = QgaClient.connect(socket)) {
            Set<String> all = registered(client);
            assertEquals(1, client.call(freezeList()).get("return").getAsLong(), agent::describe);
            assertEquals("freeze\n", hookCalls());
            assertTrue(Files.exists(statedir.resolve(FrozenState.MARKER_NAME)));
            assertTrue(fs.isFrozen());

            Path file = fs.mountpoint().resolve("written-while-frozen");
            Process writer = writer(file);
            awaitBlockedInKernel(writer);
            assertFalse(Files.exists(file), "nothing reached the frozen filesystem");

            // The gate: qemu-ga's six frozen-safe commands (those registered here) and nothing else.
            Set<String> safe = new TreeSet<>(QgaSchema.FROZEN_SAFE);
            safe.retainAll(all);
            assertEquals(safe, enabled(client));
            assertDisabled(client, "guest-set-vcpus");
            assertDisabled(client, "guest-fsfreeze-freeze-list");
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));

            assertEquals(1, client.call("{\"execute\":\"guest-fsfreeze-thaw\"}").get("return").getAsLong());
            assertTrue(writer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the writer resumed after the thaw");
            assertEquals(0, writer.exitValue());
            assertEquals("resumed\n", Files.readString(file));
            assertEquals("freeze\nthaw\n", hookCalls());
            assertFalse(Files.exists(statedir.resolve(FrozenState.MARKER_NAME)));
            assertEquals(all, enabled(client));
            assertEquals(0, client.call("{\"execute\":\"guest-set-vcpus\",\"arguments\":{\"vcpus\":[]}}")
                    .get("return").getAsLong());
        }
    }

    @Test
    void whileFrozenSigtermIsIgnoredAndARestartedAgentStartsFrozenUntilThawed() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path hook = hook("exit 0\n");
        try (AgentProcess agent = start(socket, hook); QgaClient client = QgaClient.connect(socket)) {
            assertEquals(1, client.call(freezeList()).get("return").getAsLong(), agent::describe);
            agent.process().destroy(); // SIGTERM
            agent.awaitStderr("ignoring SIGTERM: filesystems are frozen", WAIT);
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
            agent.process().destroyForcibly().waitFor(); // the agent dies frozen, as after a crash
        }
        assertTrue(fs.isFrozen(), "the kernel keeps the filesystem frozen");
        try (AgentProcess agent = start(socket, hook); QgaClient client = QgaClient.connect(socket)) {
            agent.awaitStderr("previous instance appears to have exited with frozen filesystems", WAIT);
            assertDisabled(client, "guest-set-vcpus");
            assertEquals(1, client.call("{\"execute\":\"guest-fsfreeze-thaw\"}").get("return").getAsLong());
            assertFalse(fs.isFrozen());
            assertFalse(Files.exists(statedir.resolve(FrozenState.MARKER_NAME)));
            assertEquals("freeze\nthaw\n", hookCalls());
            client.close(); // an open session would hold the agent for its shutdown grace period
            assertEquals(0, agent.terminate(WAIT), "SIGTERM works again once thawed");
        }
    }

    @Test
    void aFailingHookIsReportedAndNothingIsFrozen() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Path hook = hook("echo 'database refuses to quiesce'\nexit 3\n");
        try (AgentProcess agent = start(socket, hook); QgaClient client = QgaClient.connect(socket)) {
            JsonObject error = client.call(freezeList()).getAsJsonObject("error");
            assertEquals("child process has failed to execute fsfreeze hook: database refuses to quiesce\n",
                    error.get("desc").getAsString());
            assertEquals("freeze\n", hookCalls());
            assertFalse(fs.isFrozen());
            assertFalse(Files.exists(statedir.resolve(FrozenState.MARKER_NAME)));
            assertEquals(0, client.call("{\"execute\":\"guest-set-vcpus\",\"arguments\":{\"vcpus\":[]}}")
                    .get("return").getAsLong());
        }
    }

    @Test
    void freezingAPathThatIsNoMountPointFreezesNothingAndRunsOnlyTheFreezeHook() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = start(socket, hook("exit 0\n")); QgaClient client = QgaClient.connect(socket)) {
            assertEquals(0, client.call("{\"execute\":\"guest-fsfreeze-freeze-list\","
                    + "\"arguments\":{\"mountpoints\":[\"/nonexistent\"]}}").get("return").getAsLong());
            assertEquals("freeze\n", hookCalls());
            assertFalse(Files.exists(statedir.resolve(FrozenState.MARKER_NAME)));
            assertEquals(0, client.call("{\"execute\":\"guest-set-vcpus\",\"arguments\":{\"vcpus\":[]}}")
                    .get("return").getAsLong());
        }
    }
}
