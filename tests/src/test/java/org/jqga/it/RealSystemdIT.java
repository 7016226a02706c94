package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqga.it.support.DebPackage;
import org.jqga.it.support.DebianRootfs;
import org.jqga.it.support.Exec;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.SystemdContainer;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package under a real systemd: a Debian 12 container (made with debootstrap, see {@link DebianRootfs})
 * boots systemd as PID 1, the .deb that {@code mvn package} built is installed with dpkg where Debian's
 * qemu-guest-agent is installed, and clients on real unix sockets reach the agent through the package's units and
 * through the seed's user-unit recipe. The tests run in order on one container: install, units, recipe, socket unit,
 * upgrade, purge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class RealSystemdIT {
    private static final String DEB_DIR = "/mnt/jqga";
    /** What the container itself changes while the tests run, whatever the package does. */
    private static final List<String> CHANGED_BY_THE_SYSTEM = List.of("/var/log/", "/var/lib/dpkg/",
            "/var/cache/debconf/", "/var/cache/man/", "/var/lib/systemd/timers/", "/var/lib/systemd/catalog/");

    private SystemdContainer container;
    private Path deb;
    private Set<String> filesBeforeInstall;
    private String installOutput;

    @BeforeAll
    void bootAndInstall(@TempDir Path scratch) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            Tools.unavailable("booting a container needs root; this test runs as " + System.getProperty("user.name"));
        }
        Tools.require("debootstrap", "debootstrap");
        Tools.require("systemd-nspawn", "systemd-container");
        Tools.require("nsenter", "util-linux");
        deb = DebPackage.find();
        Path root = DebianRootfs.ensure();
        try {
            container = SystemdContainer.boot(root, Map.of(deb.getParent(), DEB_DIR), scratch.resolve("container"));
        } catch (SystemdContainer.ContainerException e) {
            Tools.unavailable("this machine cannot boot systemd in a container: " + e.getMessage());
        }
        filesBeforeInstall = files();
        long start = System.nanoTime();
        Exec.Result installed = container.exec("dpkg", "-i", DEB_DIR + "/" + deb.getFileName());
        assertEquals(0, installed.status(), "dpkg -i: " + installed);
        installOutput = installed.stdout() + installed.stderr();
        System.err.printf("RealSystemdIT: dpkg -i %s took %d ms (with the start-up cache training)%n",
                deb.getFileName(), (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    void halt() throws InterruptedException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void theInstallTakesOverFromQemuGuestAgentAndEnablesNoSocket() throws Exception {
        assertTrue(installOutput.contains("will remove qemu-guest-agent in favour of jqga"), installOutput);
        assertEquals("config-files", container.ok("dpkg-query", "-W", "-f=${db:Status-Status}", "qemu-guest-agent"),
                "qemu-guest-agent is removed (its conffiles stay until it is purged)");
        assertFalse(Files.exists(container.path("/usr/sbin/qemu-ga")), "qemu-ga is gone");
        assertEquals("LoadState=not-found\n",
                container.ok("systemctl", "show", "-p", "LoadState", "qemu-guest-agent.service"),
                "one agent on the port: Debian's unit is gone with its package");
        assertTrue(Files.isExecutable(container.path("/usr/sbin/jqga")));
        // Nothing is enabled: the port's service is started by udev, the socket units wait for the admin.
        for (String unit : List.of("jqga.service", "jqga-sockets.service", "jqga-unix.socket", "jqga-vsock.socket")) {
            Exec.Result enabled = container.exec("systemctl", "is-enabled", unit);
            assertNotEquals("enabled", enabled.stdout().strip(), unit + ": " + enabled);
        }
        assertEquals("inactive\n", container.exec("systemctl", "is-active", "jqga.service").stdout(),
                "without a virtio-serial port jqga.service is not started");
        try (Stream<Path> caches = Files.list(container.path("/var/cache/jqga"))) {
            assertTrue(caches.anyMatch(p -> p.toString().endsWith(".jsa")),
                    "postinst made the start-up cache (AppCDS for Debian 12's JDK 17) in /var/cache/jqga");
        }
    }

    @Test
    @Order(2)
    void everyShippedUnitPassesSystemdAnalyzeVerify() throws Exception {
        List<String> units = Arrays.stream(container.ok("dpkg", "-L", "jqga").split("\n"))
                .filter(p -> p.matches("/lib/systemd/system/[^/]+\\.(service|socket)")).sorted().toList();
        assertEquals(List.of("/lib/systemd/system/jqga-sockets.service", "/lib/systemd/system/jqga-unix.socket",
                "/lib/systemd/system/jqga-vsock.socket", "/lib/systemd/system/jqga.service"), units);
        String[] verify = Stream.concat(Stream.of("systemd-analyze", "verify"), units.stream()).toArray(String[]::new);
        Exec.Result verified = container.exec(verify);
        // Exit 0 is not enough: systemd only warns about a line it ignores.
        assertEquals(0, verified.status(), verified.toString());
        assertEquals("", verified.stdout() + verified.stderr(), "systemd-analyze verify has something to say");
    }

    /** The seed's recipe, verbatim: a user socket unit on /tmp/qga.sock and the service it starts. */
    @Test
    @Order(3)
    void theSeedRecipeRunsUnderTheUserManager() throws Exception {
        Path config = container.path("/root/.config");
        assertFalse(Files.exists(config), "the root file system has no /root/.config of its own to keep");
        Path units = Files.createDirectories(config.resolve("systemd/user"));
        Files.writeString(units.resolve("qga.service"), "[Service]\n"
                + "ExecStart=/usr/sbin/jqga --logfile=/tmp/qga.log --pidfile=/tmp/qga.pid --statedir=/tmp\n");
        Files.writeString(units.resolve("qga.socket"), "[Socket]\nListenStream=/tmp/qga.sock\n");
        try {
            userOk("daemon-reload");
            userOk("start", "qga.socket");
            try (QgaClient client = QgaClient.connect(container.path("/tmp/qga.sock"))) {
                assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"));
                JsonObject info = client.call("{\"execute\":\"guest-info\"}").getAsJsonObject("return");
                assertTrue(info.has("version"), info.toString());
                Set<String> names = new TreeSet<>();
                for (JsonElement c : info.getAsJsonArray("supported_commands")) {
                    names.add(c.getAsJsonObject().get("name").getAsString());
                }
                assertTrue(names.containsAll(List.of("guest-ping", "guest-info", "guest-sync-delimited",
                        "guest-exec", "guest-file-open")), names.toString());
            }
            String status = container.systemctlUser("status", "--no-pager", "qga.service").stdout();
            assertTrue(status.matches("(?s).*\\n\\s*TriggeredBy: \\S* ?qga\\.socket\\n.*"), status);
            assertTrue(status.contains("Active: active (running)"), status);
        } finally {
            container.systemctlUser("stop", "qga.service", "qga.socket");
            container.ok("rm", "-r", "/root/.config");
            container.systemctlUser("daemon-reload");
        }
    }

    /**
     * The package's unix socket: systemd listens, the first connection starts the agent, which reports READY and a
     * STATUS; with {@code --idle-exit} (as the unit's comment suggests) it exits when unused and the next connection
     * starts it again; {@code systemctl stop} leaves neither a process nor the socket file behind.
     */
    @Test
    @Order(4)
    void thePackagesUnixSocketStartsTheAgentOnDemand() throws Exception {
        Path dropIn = Files.createDirectories(container.path("/etc/systemd/system/jqga-sockets.service.d"));
        Files.writeString(dropIn.resolve("idle-exit.conf"), "[Service]\nExecStart=\n"
                + "ExecStart=/usr/sbin/jqga --pidfile=/run/jqga/jqga-sockets.pid --statedir=/var/lib/jqga"
                + " --idle-exit=2\n");
        try {
            container.ok("systemctl", "daemon-reload");
            container.ok("systemctl", "start", "jqga-unix.socket");
            assertEquals("inactive", show("jqga-sockets.service", "ActiveState"), "systemd holds the socket alone");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    container.path("/run/jqga/qga.sock"), LinkOption.NOFOLLOW_LINKS)), "SocketMode=0600");

            long start = System.nanoTime();
            String firstPid = pingThroughTheSocket();
            System.err.printf("RealSystemdIT: first guest-ping through jqga-unix.socket answered in %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals("notify", show("jqga-sockets.service", "Type"));
            assertEquals("active", show("jqga-sockets.service", "ActiveState"), "READY=1 arrived");
            assertTrue(show("jqga-sockets.service", "StatusText").contains("unix"),
                    "STATUS= names the endpoint it serves: " + show("jqga-sockets.service", "StatusText"));

            String stateAfterIdle = awaitInactive("jqga-sockets.service", Duration.ofSeconds(30));
            assertEquals("inactive", stateAfterIdle, "--idle-exit=2 stopped the unused agent");
            assertEquals("success", show("jqga-sockets.service", "Result"));
            assertEquals("active", show("jqga-unix.socket", "ActiveState"), "the socket outlives the agent");

            String secondPid = pingThroughTheSocket();
            assertNotEquals(firstPid, secondPid, "the next connection started a new agent");

            container.ok("systemctl", "stop", "jqga-sockets.service", "jqga-unix.socket");
            assertEquals(List.of(), container.processes("java"), "no agent is left running");
            assertFalse(Files.exists(container.path("/run/jqga/qga.sock"), LinkOption.NOFOLLOW_LINKS),
                    "the socket file is removed with the socket unit");
        } finally {
            Files.delete(dropIn.resolve("idle-exit.conf"));
            Files.delete(dropIn);
            container.ok("systemctl", "daemon-reload");
        }
    }

    /**
     * An upgrade (here the same package again, which dpkg runs as one: postinst configure with the old version)
     * keeps a socket the admin enabled enabled and listening, and enables nothing the admin did not.
     */
    @Test
    @Order(5)
    void anUpgradeKeepsWhatTheAdminEnabledAndNothingElse() throws Exception {
        container.ok("systemctl", "enable", "--now", "jqga-unix.socket");
        try {
            Exec.Result upgraded = container.exec("dpkg", "-i", DEB_DIR + "/" + deb.getFileName());
            assertEquals(0, upgraded.status(), "dpkg -i again: " + upgraded);
            assertEquals("enabled", container.exec("systemctl", "is-enabled", "jqga-unix.socket").stdout().strip());
            assertEquals("active", show("jqga-unix.socket", "ActiveState"), "the socket listens on");
            for (String unit : List.of("jqga-sockets.service", "jqga-vsock.socket")) {
                assertNotEquals("enabled", container.exec("systemctl", "is-enabled", unit).stdout().strip(), unit);
            }
            pingThroughTheSocket();
        } finally {
            container.ok("systemctl", "disable", "--now", "jqga-unix.socket", "jqga-sockets.service");
        }
    }

    @Test
    @Order(6)
    void purgeLeavesNothingBehind() throws Exception {
        container.ok("dpkg", "--purge", "jqga");
        Set<String> left = new TreeSet<>(files());
        left.removeAll(filesBeforeInstall);
        left.removeIf(p -> CHANGED_BY_THE_SYSTEM.stream().anyMatch(p::startsWith));
        assertEquals(Set.of(), left, "files the package or its units made that purge left behind");
        assertFalse(Files.exists(container.path("/run/jqga")), "the runtime directory is gone");
        assertEquals(List.of(), container.processes("java"));
        Exec.Result units = container.exec("systemctl", "list-unit-files", "--no-pager", "jqga*");
        assertTrue(units.stdout().contains("0 unit files listed."), "systemd knows no jqga unit: " + units);
    }

    /** Connects to the package's unix socket, pings, and gives the main PID of the service that answered. */
    private String pingThroughTheSocket() throws Exception {
        try (QgaClient client = QgaClient.connect(container.path("/run/jqga/qga.sock"))) {
            assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"));
        }
        String pid = show("jqga-sockets.service", "MainPID");
        assertNotEquals("0", pid, "a service answered");
        return pid;
    }

    private String awaitInactive(String unit, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String state = show(unit, "ActiveState");
        while (!state.equals("inactive") && !state.equals("failed") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            state = show(unit, "ActiveState");
        }
        return state;
    }

    private String show(String unit, String property) throws Exception {
        return container.ok("systemctl", "show", "--value", "-p", property, unit).strip();
    }

    private void userOk(String... args) throws Exception {
        Exec.Result r = container.systemctlUser(args);
        assertEquals(0, r.status(), "systemctl --user " + String.join(" ", args) + ": " + r);
    }

    /** Every path on the container's root file system (not /proc, /sys, /dev, /run or /tmp, which are mounts). */
    private Set<String> files() throws IOException, InterruptedException {
        return Arrays.stream(container.ok("find", "/", "-xdev").split("\n")).collect(Collectors.toSet());
    }
}
