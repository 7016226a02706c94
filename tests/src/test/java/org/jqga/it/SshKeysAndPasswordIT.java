package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH keys and passwords for a real throw-away user that the test creates with useradd and removes with userdel:
 * no existing account is ever touched. Needs root (as the agent in a guest is).
 */
class SshKeysAndPasswordIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final String KEY1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqgaTestKeyOne jqga@test";
    private static final String KEY2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqgaTestKeyTwo jqga@test";

    @TempDir
    Path dir;

    private String user;
    private Path home;
    private AgentProcess agent;
    private QgaClient client;

    @BeforeEach
    void createUserAndStartAgent() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            Tools.unavailable("creating a throw-away user needs root");
        }
        Path useradd = Tools.require("useradd", "passwd");
        Tools.require("userdel", "passwd");
        Tools.require("chpasswd", "passwd");
        user = "jqgait" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        home = dir.resolve("home-" + user);
        run(useradd.toString(), "--home-dir", home.toString(), "--create-home", "--shell", "/bin/sh", user);
        Path socket = dir.resolve("qga.sock");
        agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + dir, "--verbose"));
        agent.awaitListening(socket, START);
        client = QgaClient.connect(socket);
    }

    @AfterEach
    void removeUser() throws Exception {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (user != null) {
            run(Tools.require("userdel", "passwd").toString(), "--remove", user);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private JsonObject call(String request) throws Exception {
        return client.call(request);
    }

    private JsonObject ok(String request) throws Exception {
        JsonObject response = call(request);
        assertTrue(response.has("return"), () -> request + " -> " + response + agent.describe());
        return response;
    }

    private String error(String request) throws Exception {
        JsonObject response = call(request);
        assertTrue(response.has("error"), () -> request + " -> " + response);
        return response.getAsJsonObject("error").get("desc").getAsString();
    }

    private List<String> keys() throws Exception {
        JsonArray array = ok("{\"execute\":\"guest-ssh-get-authorized-keys\",\"arguments\":{\"username\":\"" + user
                + "\"}}").getAsJsonObject("return").getAsJsonArray("keys");
        List<String> keys = new ArrayList<>();
        array.forEach(e -> keys.add(e.getAsString()));
        return keys;
    }

    private static String stat(Path p) throws Exception {
        return run("stat", "-c", "%a %U %G %F", p.toString()).strip();
    }

    @Test
    void keysAreAddedListedAndRemovedWithSshdsOwnershipAndModes() throws Exception {
        Path ssh = home.resolve(".ssh");
        Path file = ssh.resolve("authorized_keys");
        assertFalse(Files.exists(ssh));
        assertTrue(error("{\"execute\":\"guest-ssh-get-authorized-keys\",\"arguments\":{\"username\":\"" + user
                + "\"}}").startsWith("failed to read '" + file + "'"));

        ok("{\"execute\":\"guest-ssh-add-authorized-keys\",\"arguments\":{\"username\":\"" + user
                + "\",\"keys\":[\"" + KEY1 + "\"]}}");
        assertEquals("700 " + user + " " + user + " directory", stat(ssh));
        assertEquals("600 " + user + " " + user + " regular file", stat(file));
        assertEquals(List.of(KEY1), keys());

        ok("{\"execute\":\"guest-ssh-add-authorized-keys\",\"arguments\":{\"username\":\"" + user
                + "\",\"keys\":[\"" + KEY2 + "\",\"" + KEY1 + "\"]}}");
        assertEquals(KEY1 + "\n" + KEY2, Files.readString(file), "no duplicate, no trailing newline");
        assertEquals(List.of(KEY2, KEY1), keys(), "newest first, as qemu-ga lists them");
        assertEquals("600 " + user + " " + user + " regular file", stat(file));

        ok("{\"execute\":\"guest-ssh-remove-authorized-keys\",\"arguments\":{\"username\":\"" + user
                + "\",\"keys\":[\"" + KEY1 + "\"]}}");
        assertEquals(List.of(KEY2), keys());

        ok("{\"execute\":\"guest-ssh-add-authorized-keys\",\"arguments\":{\"username\":\"" + user
                + "\",\"keys\":[\"" + KEY1 + "\"],\"reset\":true}}");
        assertEquals(List.of(KEY1), keys());
        assertEquals("600 " + user + " " + user + " regular file", stat(file));
        try (var left = Files.list(ssh)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left in ~/.ssh");
        }
    }

    @Test
    void badKeysAndUnknownUsersAreRefusedAndNothingIsWritten() throws Exception {
        assertEquals("invalid OpenSSH public key: '# not a key'", error(
                "{\"execute\":\"guest-ssh-add-authorized-keys\",\"arguments\":{\"username\":\"" + user
                        + "\",\"keys\":[\"" + KEY1 + "\",\"# not a key\"]}}"));
        assertFalse(Files.exists(home.resolve(".ssh")));
        assertEquals("failed to lookup user 'jqga-no-such-user': Success", error(
                "{\"execute\":\"guest-ssh-remove-authorized-keys\",\"arguments\":{\"username\":"
                        + "\"jqga-no-such-user\",\"keys\":[]}}"));
    }

    private String shadowHash() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/shadow"))) {
            String[] fields = line.split(":", -1);
            if (fields[0].equals(user)) {
                return fields[1];
            }
        }
        throw new AssertionError(user + " is not in /etc/shadow");
    }

    private static String crypt(String password, String salt) throws Exception {
        Path perl = Tools.require("perl", "perl-base");
        return run(perl.toString(), "-e", "print crypt($ARGV[0], $ARGV[1])", password, salt);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passwordsAreSetThroughChpasswdAndNeverLogged() throws Exception {
        String before = shadowHash();
        String password = "Jq-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 50), 36);
        ok("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"" + user + "\",\"password\":\""
                + b64(password) + "\",\"crypted\":false}}");
        String hash = shadowHash();
        assertNotEquals(before, hash);
        assertTrue(hash.startsWith("$"), hash);
        // The hash must be the one of exactly this password: libc's crypt() (through perl, whatever the method,
        // yescrypt included) recomputes it from the password and the stored salt.
        assertEquals(hash, crypt(password, hash));

        String crypted = crypt("other", "$6$jqgasalt$");
        assertTrue(crypted.startsWith("$6$jqgasalt$"), crypted);
        ok("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"" + user + "\",\"password\":\""
                + b64(crypted) + "\",\"crypted\":true}}");
        assertEquals(crypted, shadowHash());

        assertEquals("forbidden characters in raw password", error(
                "{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"" + user
                        + "\",\"password\":\"" + b64("a\nroot:x") + "\",\"crypted\":false}}"));
        assertEquals(crypted, shadowHash());
        String failure = error("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":"
                + "\"jqga-no-such-user\",\"password\":\"" + b64(password) + "\",\"crypted\":false}}");
        assertTrue(failure.startsWith("child process has failed to set user password: "), failure);

        String log = agent.stderr();
        assertTrue(log.contains("guest-set-user-password"), "the verbose log shows the calls: " + log);
        assertFalse(log.contains(password), log);
        assertFalse(log.contains(b64(password)), log);
    }
}
