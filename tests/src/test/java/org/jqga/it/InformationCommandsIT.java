package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The information commands against this machine, through a real agent process and socket: each answer checked
 * against what the system's own tools say (uname, nproc, date, df, who) or the kernel's files.
 */
class InformationCommandsIT {
    @TempDir
    static Path dir;

    private static AgentProcess agent;
    private static Path socket;

    @BeforeAll
    static void start() throws Exception {
        socket = dir.resolve("qga.sock");
        agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket));
        agent.awaitListening(socket, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private static JsonElement ret(String command) throws Exception {
        try (QgaClient client = QgaClient.connect(socket)) {
            JsonObject r = client.call("{\"execute\":\"" + command + "\"}");
            assertTrue(r.has("return"), command + ": " + r + agent.describe());
            return r.get("return");
        }
    }

    /** A tool's first output line (the test may run tools; the agent may not). */
    private static String run(String... command) throws Exception {
        Tools.require(command[0], "coreutils");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out.lines().findFirst().orElse("");
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    }

    @Test
    void osinfoIsUnameAndOsRelease() throws Exception {
        JsonObject os = ret("guest-get-osinfo").getAsJsonObject();
        assertEquals(run("uname", "-r"), os.get("kernel-release").getAsString());
        assertEquals(run("uname", "-v"), os.get("kernel-version").getAsString());
        assertEquals(run("uname", "-m"), os.get("machine").getAsString());
        Path release = Files.exists(Path.of("/etc/os-release")) ? Path.of("/etc/os-release") : Path.of("/usr/lib/os-release");
        String id = Files.readAllLines(release).stream().filter(l -> l.startsWith("ID=")).findFirst()
                .map(l -> l.substring(3).replace("\"", "")).orElseThrow();
        assertEquals(id, os.get("id").getAsString());
    }

    @Test
    void hostNameIsUnameN() throws Exception {
        assertEquals(run("uname", "-n"), ret("guest-get-host-name").getAsJsonObject().get("host-name").getAsString());
    }

    @Test
    void timezoneMatchesDate() throws Exception {
        JsonObject tz = ret("guest-get-timezone").getAsJsonObject();
        String z = run("date", "+%z");
        long offset = (z.charAt(0) == '-' ? -1 : 1) * (Long.parseLong(z.substring(1, 3)) * 3600
                + Long.parseLong(z.substring(3, 5)) * 60);
        assertEquals(offset, tz.get("offset").getAsLong());
        assertEquals(run("date", "+%Z"), tz.get("zone").getAsString());
    }

    @Test
    void usersAreWhoIsLoggedIn() throws Exception {
        Set<String> expected = new LinkedHashSet<>();
        Tools.require("who", "coreutils");
        Process who = new ProcessBuilder("who").start();
        new String(who.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).forEach(expected::add);
        who.waitFor();
        Set<String> users = new LinkedHashSet<>();
        for (JsonElement u : ret("guest-get-users").getAsJsonArray()) {
            users.add(u.getAsJsonObject().get("user").getAsString());
            assertTrue(u.getAsJsonObject().get("login-time").getAsDouble() > 0, u.toString());
        }
        assertEquals(expected, users);
    }

    @Test
    void timeIsNowInNanoseconds() throws Exception {
        long t = ret("guest-get-time").getAsLong();
        long now = System.currentTimeMillis() * 1_000_000L;
        assertEquals(0, t % 1000);
        assertTrue(Math.abs(now - t) < 60_000_000_000L, t + " is not within a minute of " + now);
    }

    @Test
    void vcpusCountIsNproc() throws Exception {
        JsonArray cpus = ret("guest-get-vcpus").getAsJsonArray();
        assertEquals(Integer.parseInt(run("nproc", "--all")), cpus.size());
        long online = 0;
        for (JsonElement c : cpus) {
            online += c.getAsJsonObject().get("online").getAsBoolean() ? 1 : 0;
        }
        assertEquals(Long.parseLong(run("getconf", "_NPROCESSORS_ONLN")), online);
    }

    @Test
    void cpustatsHasOneEntryPerCpuLine() throws Exception {
        long lines = read("/proc/stat").lines().filter(l -> l.matches("cpu\\d+ .*")).count();
        JsonArray stats = ret("guest-get-cpustats").getAsJsonArray();
        assertEquals(lines, stats.size());
        for (JsonElement s : stats) {
            assertEquals("linux", s.getAsJsonObject().get("type").getAsString());
        }
    }

    @Test
    void memoryBlocksAreTheSysfsBlocks() throws Exception {
        Path mem = Path.of("/sys/devices/system/memory");
        long expected = 0;
        if (Files.isDirectory(mem)) {
            try (Stream<Path> s = Files.list(mem)) {
                expected = s.filter(p -> p.getFileName().toString().startsWith("memory") && Files.isDirectory(p)).count();
            }
        }
        assertEquals(expected, ret("guest-get-memory-blocks").getAsJsonArray().size());
    }

    @Test
    void memoryBlockInfoIsTheBlockSize() throws Exception {
        Path size = Path.of("/sys/devices/system/memory/block_size_bytes");
        if (!Files.exists(size)) {
            Tools.unavailable("this kernel has no memory hot-plug blocks in sysfs");
        }
        assertEquals(Long.parseLong(read(size.toString()).trim(), 16),
                ret("guest-get-memory-block-info").getAsJsonObject().get("size").getAsLong());
    }

    @Test
    void interfacesIncludeLoopbackAndEveryLink() throws Exception {
        Set<String> names = new HashSet<>();
        boolean loopback = false;
        for (JsonElement e : ret("guest-network-get-interfaces").getAsJsonArray()) {
            JsonObject i = e.getAsJsonObject();
            names.add(i.get("name").getAsString());
            if (i.get("name").getAsString().equals("lo")) {
                assertEquals("00:00:00:00:00:00", i.get("hardware-address").getAsString());
                for (JsonElement a : i.getAsJsonArray("ip-addresses")) {
                    JsonObject ip = a.getAsJsonObject();
                    loopback |= ip.get("ip-address").getAsString().equals("127.0.0.1")
                            && ip.get("prefix").getAsInt() == 8 && ip.get("ip-address-type").getAsString().equals("ipv4");
                }
                assertTrue(i.getAsJsonObject("statistics").get("rx-packets").getAsLong() >= 0);
            }
        }
        assertTrue(loopback, "lo has 127.0.0.1/8");
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            assertEquals(s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()), names);
        }
    }

    @Test
    void routesAreTheKernelsTables() throws Exception {
        long v4 = read("/proc/net/route").lines().skip(1).filter(l -> !l.isBlank()).count();
        long v6 = Files.exists(Path.of("/proc/net/ipv6_route"))
                ? read("/proc/net/ipv6_route").lines().filter(l -> !l.isBlank()).count() : 0;
        long four = 0;
        long six = 0;
        for (JsonElement r : ret("guest-network-get-route").getAsJsonArray()) {
            long version = r.getAsJsonObject().get("version").getAsLong();
            four += version == 4 ? 1 : 0;
            six += version == 6 ? 1 : 0;
        }
        assertEquals(v4, four);
        assertEquals(v6, six);
    }

    @Test
    void fsinfoHasTheRootFilesystemWithItsTypeAndSize() throws Exception {
        String type = read("/proc/self/mounts").lines().map(l -> l.split(" ")).filter(f -> f[1].equals("/"))
                .reduce((a, b) -> b).orElseThrow()[2];
        JsonObject root = null;
        for (JsonElement e : ret("guest-get-fsinfo").getAsJsonArray()) {
            if (e.getAsJsonObject().get("mountpoint").getAsString().equals("/")) {
                root = e.getAsJsonObject();
            }
        }
        if (root == null) {
            Tools.unavailable("the root filesystem is not backed by a block device here (" + type + ")");
        }
        assertEquals(type, root.get("type").getAsString());
        Tools.require("df", "coreutils");
        Process df = new ProcessBuilder("df", "-B1", "--output=size", "/").start();
        List<String> lines = new String(df.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        df.waitFor();
        assertEquals(Long.parseLong(lines.get(1).trim()), root.get("total-bytes-privileged").getAsLong());
    }

    @Test
    void disksAreTheNonEmptyBlockDevices() throws Exception {
        Set<String> expected = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            for (Path p : s.toList()) {
                if (!read(p.resolve("size").toString()).equals("0\n")) {
                    expected.add("/dev/" + p.getFileName());
                }
            }
        }
        Set<String> disks = new HashSet<>();
        for (JsonElement e : ret("guest-get-disks").getAsJsonArray()) {
            if (!e.getAsJsonObject().get("partition").getAsBoolean()) {
                disks.add(e.getAsJsonObject().get("name").getAsString());
            }
        }
        assertEquals(expected, disks);
    }

    @Test
    void diskstatsFollowProcDiskstats() throws Exception {
        List<String> expected = read("/proc/diskstats").lines().map(l -> l.trim().split("\\s+")[2]).toList();
        List<String> names = new ArrayList<>();
        for (JsonElement e : ret("guest-get-diskstats").getAsJsonArray()) {
            names.add(e.getAsJsonObject().get("name").getAsString());
        }
        assertEquals(expected, names);
    }

    @Test
    void loadAveragesAreThreeNonNegativeNumbers() throws Exception {
        JsonObject load = ret("guest-get-load").getAsJsonObject();
        assertEquals(Set.of("load1m", "load5m", "load15m"), load.keySet());
        for (String k : load.keySet()) {
            assertTrue(load.get(k).getAsDouble() >= 0, load.toString());
        }
    }

    @Test
    void fsfreezeStatusIsThawed() throws Exception {
        assertEquals("thawed", ret("guest-fsfreeze-status").getAsString());
    }

    @Test
    void guestInfoListsEveryInformationCommandEnabled() throws Exception {
        Set<String> enabled = new HashSet<>();
        for (JsonElement e : ret("guest-info").getAsJsonObject().getAsJsonArray("supported_commands")) {
            JsonObject c = e.getAsJsonObject();
            if (c.get("enabled").getAsBoolean()) {
                enabled.add(c.get("name").getAsString());
            }
        }
        List<String> ours = List.of("guest-get-osinfo", "guest-get-host-name", "guest-get-timezone",
                "guest-get-users", "guest-get-time", "guest-get-vcpus", "guest-get-memory-blocks",
                "guest-get-memory-block-info", "guest-network-get-interfaces", "guest-network-get-route",
                "guest-get-fsinfo", "guest-get-disks", "guest-get-diskstats", "guest-get-cpustats", "guest-get-load",
                "guest-fsfreeze-status");
        assertTrue(enabled.containsAll(ours), enabled.toString());
        assertFalse(enabled.contains("guest-get-devices"), "qemu-ga does not register guest-get-devices on Linux");
    }
}
