package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball as an operator installs it: unpacked somewhere else, started by its own bin/jqga. */
class DistributionIT {
    @TempDir
    Path dir;
    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("jqga.dist.tarball"));
        assertTrue(Files.isRegularFile(tarball), tarball + " was not built");
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try (Stream<Path> top = Files.list(dir)) {
            home = top.filter(p -> p.getFileName().toString().startsWith("jqga-")).findFirst().orElseThrow();
        }
    }

    private Process launcher(Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("bin/jqga").toString()),
                Stream.of(args)).toList()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/jqga did not finish");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theUnpackedLauncherPrintsTheVersion() throws Exception {
        Process p = launcher(Map.of(), "--version");
        String out = finish(p);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("QEMU Guest Agent "), out);
    }

    @Test
    void theTarballShipsTheLauncherJarsNativeLibrariesAndUnits() throws Exception {
        assertTrue(Files.isExecutable(home.resolve("bin/jqga")));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertTrue(jars.anyMatch(p -> p.getFileName().toString().startsWith("jqga-agent-")));
        }
        assertTrue(Files.isDirectory(home.resolve("lib/native/junixsocket")), "junixsocket's JNI libraries");
        assertTrue(Files.isDirectory(home.resolve("lib/native/jffi")), "jffi's JNI libraries");
        assertTrue(Files.isDirectory(home.resolve("contrib")), "contrib/ (unit files, supervisor examples)");
    }

    /**
     * The build's training run (bin/jqga --train) left a start-up cache, and the JVM the launcher picks really maps it: with
     * {@code -XX:AOTMode=on} (JDK 25) or {@code -Xshare:on} (JDK 17) a cache that cannot be used is a start-up
     * failure instead of a silent fallback.
     */
    @Test
    void theStartUpCacheMadeAtBuildTimeIsUsed() throws Exception {
        List<Path> caches;
        try (Stream<Path> c = Files.list(home.resolve("lib/cache"))) {
            caches = c.filter(f -> f.toString().endsWith(".aot") || f.toString().endsWith(".jsa")).toList();
        }
        assertTrue(Files.isRegularFile(Path.of(caches.get(0) + ".verified")), "the training run's mark");
        assertEquals(1, caches.size(), "one cache, for the JDK the build trained with: " + caches);
        String strict = caches.get(0).toString().endsWith(".aot") ? "-XX:AOTMode=on" : "-Xshare:on";
        Process p = launcher(Map.of("JQGA_JAVA_OPTS", strict), "--version");
        String out = finish(p);
        assertEquals(0, p.exitValue(), strict + " rejected the cache:\n" + out);
    }

    @Test
    void theUnpackedAgentServesASocket() throws Exception {
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(home.resolve("bin/jqga").toString(),
                "--method=unix-listen", "--path=" + socket))) {
            agent.awaitListening(socket, Duration.ofSeconds(60));
            try (QgaClient client = QgaClient.connect(socket)) {
                assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"));
            }
        }
    }

    /**
     * The launcher's heap flags against qemu-ga's largest messages: a 48 MiB guest-file-read reply (64 MiB of base64)
     * comes back byte-exact, and a guest-file-write of 47 MiB (a 63 MiB request, under the 64 MiB limit) is served,
     * not refused by the message budget, with nothing else in flight.
     */
    @Test
    void theLaunchedAgentServesTheLargestReadAndAWriteNearTheRequestLimit() throws Exception {
        int readCount = 48 << 20;
        byte[] content = new byte[readCount + 1];
        new Random(48).nextBytes(content);
        Path file = dir.resolve("big.bin");
        Files.write(file, content);
        Path socket = dir.resolve("qga.sock");
        Duration wait = Duration.ofSeconds(120);
        Files.createDirectories(dir.resolve("state"));
        try (AgentProcess agent = AgentProcess.start(dir, List.of(home.resolve("bin/jqga").toString(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + dir.resolve("state")))) {
            agent.awaitListening(socket, Duration.ofSeconds(60));
            try (QgaClient client = QgaClient.connect(socket)) {
                long handle = client.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                        + "\",\"mode\":\"r\"}}").get("return").getAsLong();
                JsonObject read = client.call("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":"
                        + handle + ",\"count\":" + readCount + "}}").getAsJsonObject("return");
                assertEquals(readCount, read.get("count").getAsLong(), read::toString);
                assertEquals(false, read.get("eof").getAsBoolean());
                byte[] got = Base64.getDecoder().decode(read.get("buf-b64").getAsString());
                assertEquals(sha256(content, readCount), sha256(got, got.length), "the 48 MiB read is byte-exact");
                client.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");

                Path written = dir.resolve("written.bin");
                int writeCount = 47 << 20;
                long out = client.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + written
                        + "\",\"mode\":\"w\"}}").get("return").getAsLong();
                client.sendBytes(("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + out
                        + ",\"buf-b64\":\"").getBytes(StandardCharsets.US_ASCII));
                byte[] data = java.util.Arrays.copyOf(content, writeCount);
                client.sendBytes(Base64.getEncoder().encode(data));
                client.sendBytes("\"}}".getBytes(StandardCharsets.US_ASCII));
                JsonObject reply = client.read(wait);
                assertTrue(reply.has("return"), () -> "a 63 MiB request was refused: " + reply + agent.describe());
                assertEquals(writeCount, reply.getAsJsonObject("return").get("count").getAsLong());
                client.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + out + "}}");
                byte[] back = Files.readAllBytes(written);
                assertEquals(sha256(data, data.length), sha256(back, back.length), "the written file is byte-exact");
            }
        }
    }

    /**
     * Under {@code --method=stdio} stdout is the protocol channel. SIGQUIT makes the JVM print a thread dump, which
     * must not reach the client: every line it receives is JSON, and the agent still answers.
     */
    @Test
    void aThreadDumpUnderStdioDoesNotReachTheClient() throws Exception {
        Path err = dir.resolve("agent.err");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jqga").toString(), "--method=stdio",
                "--statedir=" + Files.createDirectories(dir.resolve("state"))).redirectError(err.toFile());
        pb.environment().put("JQGA_NO_AUTO_TRAIN", "1");
        Process agent = pb.start();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    agent.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("(read failed: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        java.util.List<String> received = new java.util.ArrayList<>();
        try {
            java.io.OutputStream in = agent.getOutputStream();
            in.write("{\"execute\":\"guest-ping\",\"id\":1}\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            received.add(nextLine(lines, agent, err));
            // Serving: the JVM's signal handling is up. Now the dump, then a second ping on the same channel.
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(agent.pid())).inheritIO().start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -QUIT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.util.function.BooleanSupplier dumped = () -> read(err).contains("Full thread dump")
                    || lines.stream().anyMatch(l -> l.contains("Full thread dump"));
            while (!dumped.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(dumped.getAsBoolean(), "the JVM wrote no thread dump (to stderr or stdout)");
            in.write("{\"execute\":\"guest-ping\",\"id\":2}\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            while (received.stream().noneMatch(l -> l.contains("\"id\": 2"))) {
                received.add(nextLine(lines, agent, err));
            }
            for (String l : received) {
                assertTrue(isReply(l), () -> received.size() + " lines reached the client, not all of them replies;"
                        + " the first that is not: " + received.stream().filter(x -> !isReply(x)).findFirst()
                        .orElseThrow());
            }
            assertEquals(2, received.size(), received::toString);
            in.close();
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends with its input");
        } finally {
            agent.destroyForcibly();
        }
    }

    private static boolean isReply(String line) {
        try {
            com.google.gson.JsonElement e = com.google.gson.JsonParser.parseString(line);
            return e.isJsonObject() && e.getAsJsonObject().has("return");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String nextLine(java.util.concurrent.BlockingQueue<String> lines, Process agent, Path err)
            throws Exception {
        String l = lines.poll(60, TimeUnit.SECONDS);
        assertTrue(l != null, () -> "no line from the agent (alive: " + agent.isAlive() + ")\n" + read(err));
        return l;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String sha256(byte[] bytes, int length) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(bytes, 0, length);
        return java.util.HexFormat.of().formatHex(d.digest());
    }
}
