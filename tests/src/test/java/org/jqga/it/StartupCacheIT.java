package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up cache for whichever JDK runs the agent, through the unpacked tarball's bin/jqga: {@code jqga --train},
 * the training a start launches in the background when the cache is missing, and caches that are corrupt or
 * truncated. Each test runs on JDK 17 (a static AppCDS archive) and JDK 25 (an AOT cache), found under
 * /usr/lib/jvm; a missing one is a skip (a failure in CI).
 */
class StartupCacheIT {
    @TempDir
    static Path installDir;
    private static Path home;

    @TempDir
    Path dir;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("jqga.dist.tarball"));
        assertTrue(Files.isRegularFile(tarball), tarball + " was not built");
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", installDir.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try (Stream<Path> top = Files.list(installDir)) {
            home = top.filter(p -> p.getFileName().toString().startsWith("jqga-")).findFirst().orElseThrow();
        }
    }

    /** The java of an installed JDK of this feature release (a directory, not a symlink, with a release file). */
    private static Path jdk(int feature) throws IOException {
        Optional<Path> found;
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            found = jvms.filter(d -> !Files.isSymbolicLink(d) && Files.isExecutable(d.resolve("bin/java")))
                    .filter(d -> releaseVersion(d).startsWith("\"" + feature + ".")
                            || releaseVersion(d).equals("\"" + feature + "\""))
                    .sorted().findFirst();
        } catch (IOException e) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            Tools.unavailable("no JDK " + feature + " under /usr/lib/jvm");
        }
        return found.get().resolve("bin/java");
    }

    private static String releaseVersion(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring("JAVA_VERSION=".length())).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean aot(int feature) {
        return feature >= 25;
    }

    /** The launcher's environment: this JDK, this cache directory, no automatic training unless asked. */
    private static Map<String, String> env(Path java, Path cacheDir, boolean autoTrain, String javaOpts) {
        Map<String, String> env = new HashMap<>();
        env.put("JQGA_JAVA", java.toString());
        env.put("JQGA_CACHE_DIR", cacheDir.toString());
        // Failsafe sets JQGA_NO_AUTO_TRAIN=1 for every test, and a child inherits it: empty means unset to the launcher.
        env.put("JQGA_NO_AUTO_TRAIN", autoTrain ? "" : "1");
        if (javaOpts != null) {
            env.put("JQGA_JAVA_OPTS", javaOpts);
        }
        return env;
    }

    private record Run(int status, String output) {
    }

    private static Run launcher(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("bin/jqga").toString()),
                Stream.of(args)).toList()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("JQGA_NO_AUTO_TRAIN"); // failsafe sets it for the other tests
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "bin/jqga " + String.join(" ", args) + " did not finish");
        return new Run(p.exitValue(), out);
    }

    /** The one cache file (not its .verified mark, lock or log) in {@code cacheDir}, if any. */
    private static Optional<Path> cacheFile(Path cacheDir, int feature) throws IOException {
        if (!Files.isDirectory(cacheDir)) {
            return Optional.empty();
        }
        String ext = aot(feature) ? ".aot" : ".jsa";
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> caches = files.filter(f -> f.getFileName().toString().endsWith(ext)
                    && !f.getFileName().toString().startsWith(".")).toList();
            assertTrue(caches.size() <= 1, "one cache per JDK: " + caches);
            return caches.stream().findFirst();
        }
    }

    private static Path train(Path java, Path cacheDir, int feature) throws Exception {
        Run train = launcher(env(java, cacheDir, false, null), "--train");
        assertEquals(0, train.status(), "jqga --train failed:\n" + train.output());
        assertTrue(train.output().contains("wrote the start-up cache"), train.output());
        return cacheFile(cacheDir, feature).orElseThrow(() -> new AssertionError("no cache after --train in "
                + cacheDir + ":\n" + train.output()));
    }

    private AgentProcess startAgent(Map<String, String> env) throws Exception {
        Path socket = dir.resolve("qga.sock");
        Map<String, String> all = new HashMap<>(env);
        AgentProcess agent = AgentProcess.start(dir, List.of(home.resolve("bin/jqga").toString(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + dir, "--pidfile=" + dir.resolve("pid")),
                all);
        agent.awaitListening(socket, Duration.ofSeconds(60));
        try (QgaClient client = QgaClient.connect(socket)) {
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"),
                    agent.describe());
        }
        return agent;
    }

    /** Waits (bounded) for a background training run to finish writing a cache newer than {@code after}. */
    private static Path awaitTrainedCache(Path cacheDir, int feature, FileTime after) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            Optional<Path> cache = cacheFile(cacheDir, feature);
            if (cache.isPresent()) {
                Path verified = Path.of(cache.get() + ".verified");
                Path log = Path.of(cache.get() + ".log");
                if (Files.exists(verified) && Files.getLastModifiedTime(verified).compareTo(after) > 0
                        && Files.exists(log) && Files.readString(log).contains("wrote the start-up cache")) {
                    return cache.get();
                }
            }
            Thread.sleep(200);
        }
        Path log = cacheFile(cacheDir, feature).map(c -> Path.of(c + ".log")).orElse(cacheDir.resolve("none"));
        throw new AssertionError("no cache was trained in the background into " + cacheDir
                + (Files.exists(log) ? ":\n" + Files.readString(log) : ""));
    }

    private static List<String> cacheLines(String stderr) {
        return stderr.lines().filter(l -> l.contains("cache")).toList();
    }

    /** -Xshare:on / -XX:AOTMode=on: a cache the JVM cannot map is a start-up error, and its log names the file. */
    private static String strictLogging(int feature) {
        return aot(feature) ? "-XX:AOTMode=on -Xlog:aot" : "-Xshare:on -Xlog:cds";
    }

    private static void assertMapped(int feature, Path cache, String jvmLog) {
        if (aot(feature)) {
            assertTrue(jvmLog.contains("Opened AOT cache " + cache), "JDK 25 did not open " + cache + ":\n" + jvmLog);
        } else {
            assertTrue(jvmLog.contains("Opened archive " + cache), "JDK 17 did not open " + cache + ":\n" + jvmLog);
            // A static archive of the agent's classes, in place of the JDK's default one, not a layer over it.
            assertTrue(jvmLog.contains("Mapped static  region"), "JDK 17 mapped no static region:\n" + jvmLog);
            assertFalse(jvmLog.contains("Mapped dynamic region"), "JDK 17 mapped a dynamic layer:\n" + jvmLog);
        }
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void trainMakesTheCacheOnceAndTheNextStartMapsIt(int feature) throws Exception {
        Path java = jdk(feature);
        Path cacheDir = dir.resolve("cache");
        Path cache = train(java, cacheDir, feature);
        assertTrue(cache.getFileName().toString().startsWith("jdk-" + feature), cache.toString());
        FileTime made = Files.getLastModifiedTime(cache);

        Run again = launcher(env(java, cacheDir, false, null), "--train");
        assertEquals(0, again.status(), again.output());
        assertTrue(again.output().contains("is fresh"), "a second --train should be a no-op:\n" + again.output());
        assertEquals(made, Files.getLastModifiedTime(cache), "the second --train rewrote the cache");

        try (AgentProcess agent = startAgent(env(java, cacheDir, false, strictLogging(feature)))) {
            assertMapped(feature, cache, agent.stdout());
        }
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aStartWithoutACacheAnswersAndTrainsOneInTheBackground(int feature) throws Exception {
        Path java = jdk(feature);
        Path cacheDir = dir.resolve("cache");
        FileTime before = FileTime.fromMillis(System.currentTimeMillis() - 1000);
        Path cache;
        try (AgentProcess agent = startAgent(env(java, cacheDir, true, null))) {
            cache = awaitTrainedCache(cacheDir, feature, before);
            assertEquals(1, cacheLines(agent.stderr()).size(), agent.describe());
        }
        try (AgentProcess agent = startAgent(env(java, cacheDir, false, strictLogging(feature)))) {
            assertMapped(feature, cache, agent.stdout());
            assertEquals(List.of(), cacheLines(agent.stderr()), "a fresh cache is used without a word");
        }
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aCorruptCacheIsIgnoredWithOneLineAndTrainedAgain(int feature) throws Exception {
        Path java = jdk(feature);
        Path cacheDir = dir.resolve("cache");
        Path cache = train(java, cacheDir, feature);
        byte[] garbage = new byte[100_000];
        new Random(1).nextBytes(garbage);
        Files.write(cache, garbage);
        FileTime corrupted = Files.getLastModifiedTime(Path.of(cache + ".verified"));
        try (AgentProcess agent = startAgent(env(java, cacheDir, true, null))) {
            List<String> lines = cacheLines(agent.stderr());
            assertEquals(1, lines.size(), "exactly one line about the cache:" + agent.describe());
            assertTrue(lines.get(0).contains("ignoring the start-up cache " + cache), lines.get(0));
            assertEquals(cache, awaitTrainedCache(cacheDir, feature, corrupted));
        }
        try (AgentProcess agent = startAgent(env(java, cacheDir, false, strictLogging(feature)))) {
            assertMapped(feature, cache, agent.stdout());
        }
    }

    /**
     * A truncated cache (JDK 17 dies with SIGBUS when it maps one) and another JDK's cache under this JDK's name: the
     * launcher does not give them to the JVM.
     */
    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aTruncatedOrForeignCacheIsIgnoredWithOneLine(int feature) throws Exception {
        Path java = jdk(feature);
        Path cacheDir = dir.resolve("cache");
        Path cache = train(java, cacheDir, feature);
        byte[] whole = Files.readAllBytes(cache);
        Files.write(cache, Arrays.copyOf(whole, whole.length / 2));
        try (AgentProcess agent = startAgent(env(java, cacheDir, false, null))) {
            List<String> lines = cacheLines(agent.stderr());
            assertEquals(1, lines.size(), "exactly one line about the truncated cache:" + agent.describe());
            assertTrue(lines.get(0).contains("ignoring the start-up cache " + cache), lines.get(0));
        }

        // A cache of the other kind (the other JDK's format), copied to this JDK's name.
        Path other = dir.resolve("other");
        Path foreign = train(jdk(aot(feature) ? 17 : 25), other, aot(feature) ? 17 : 25);
        Files.copy(foreign, cache, StandardCopyOption.REPLACE_EXISTING);
        try (AgentProcess agent = startAgent(env(java, cacheDir, false, null))) {
            List<String> lines = cacheLines(agent.stderr());
            assertEquals(1, lines.size(), "exactly one line about the foreign cache:" + agent.describe());
            assertTrue(lines.get(0).contains("ignoring the start-up cache " + cache), lines.get(0));
        }
    }
}
