package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.DebPackage;
import org.jqga.it.support.QgaClient;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} builds, checked with Debian's own tools: its contents and control fields
 * ({@code dpkg-deb}), {@code lintian} (no errors), and its launcher, extracted, answering under
 * {@code systemd-socket-activate}. Installing it under a real systemd is a separate test (issue 20, item 5).
 */
class DebianPackageIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Path deb;

    @BeforeEach
    void findPackage() throws IOException {
        Tools.require("dpkg-deb", "dpkg");
        deb = DebPackage.find();
    }

    private static String run(List<String> command) throws Exception {
        return run(command, Set.of(0));
    }

    /** {@code command}'s output (stdout and stderr), once it has exited with one of {@code exits}. */
    private static String run(List<String> command, Set<Integer> exits) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read before waiting: lintian writes more than a pipe holds.
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(exits.contains(p.exitValue()), command + " exited " + p.exitValue() + ", expected one of "
                + exits + ":\n" + text);
        return text;
    }

    @Test
    void thePackageShipsTheLauncherLinkUnitsUdevRuleHookManPageAndCopyright() throws Exception {
        String listing = run(List.of("dpkg-deb", "-c", deb.toString()));
        for (String path : List.of("./usr/lib/jqga/bin/jqga", "./lib/systemd/system/jqga.service",
                "./lib/systemd/system/jqga-sockets.service", "./lib/systemd/system/jqga-unix.socket",
                "./lib/systemd/system/jqga-vsock.socket", "./lib/udev/rules.d/60-jqga.rules",
                "./etc/qemu/fsfreeze-hook", "./etc/qemu/fsfreeze-hook.d/", "./usr/share/man/man8/jqga.8.gz",
                "./usr/share/doc/jqga/copyright", "./usr/share/doc/jqga/changelog.Debian.gz",
                "./usr/lib/jqga/lib/train/train",
                "./usr/lib/jqga/lib/native/jffi/jni/x86_64-Linux/libjffi-1.2.so")) {
            assertTrue(listing.lines().anyMatch(l -> l.endsWith(" " + path)), path + " is not in the package:\n"
                    + listing);
        }
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("l") && l.endsWith(" ./usr/sbin/jqga -> "
                + "../lib/jqga/bin/jqga")), "/usr/sbin/jqga is not a relative link to the launcher:\n" + listing);
        assertTrue(listing.lines().anyMatch(l -> l.matches(".* \\./usr/lib/jqga/lib/jqga-agent-[0-9.]+\\.jar")),
                listing);
        // amd64 carries only x86_64 JNI libraries (a foreign architecture's binary is a lintian error) and no
        // start-up cache of the build machine's JDK (the postinst makes the one for the guest's).
        assertTrue(listing.lines().noneMatch(l -> l.contains("aarch64") || l.contains("/cache/")), listing);

        String info = run(List.of("dpkg-deb", "-I", deb.toString()));
        for (String field : List.of("Package: jqga", "Architecture: amd64",
                "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless", "Conflicts: qemu-guest-agent",
                "Replaces: qemu-guest-agent", "Provides: qemu-guest-agent")) {
            assertTrue(info.contains(field), field + " is not in the control file:\n" + info);
        }
        assertTrue(run(List.of("dpkg-deb", "-f", deb.toString(), "Version")).strip().matches("[0-9]+\\.[0-9]+\\.[0-9]+-[0-9]+"),
                "a release version, no SNAPSHOT");
        Path control = dir.resolve("control");
        run(List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
        assertEquals("/etc/qemu/fsfreeze-hook", Files.readString(control.resolve("conffiles")).strip());
        assertTrue(Files.readString(control.resolve("postinst")).contains("/usr/sbin/jqga --train"));
        assertTrue(Files.readString(control.resolve("postrm")).contains("rm -rf /var/cache/jqga"));

        Path root = extract();
        String service = Files.readString(root.resolve("lib/systemd/system/jqga.service"));
        assertTrue(service.contains("BindsTo=dev-virtio\\x2dports-org.qemu.guest_agent.0.device"), service);
        assertTrue(service.contains("ExecStart=/usr/sbin/jqga "), service);
        assertTrue(Files.readString(root.resolve("lib/udev/rules.d/60-jqga.rules"))
                .contains("ENV{SYSTEMD_WANTS}=\"jqga.service\""));
        String copyright = Files.readString(root.resolve("usr/share/doc/jqga/copyright"));
        assertTrue(copyright.startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
        // Every bundled jar is matched by a Files: pattern of its own, not only by the catch-all "*".
        List<Pattern> patterns = new ArrayList<>();
        Matcher files = Pattern.compile("(?m)^(?:Files:)? +(usr/lib/jqga/lib/\\S+)$").matcher(copyright);
        while (files.find()) {
            patterns.add(Pattern.compile(Pattern.quote(files.group(1)).replace("*", "\\E.*\\Q")));
        }
        try (Stream<Path> jars = Files.walk(root.resolve("usr/lib/jqga/lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                String path = root.relativize(jar).toString();
                assertTrue(patterns.stream().anyMatch(p -> p.matcher(path).matches()), path
                        + " is not covered by a Files: paragraph of the copyright file (patterns: " + patterns + ")");
            }
        }
    }

    @Test
    void lintianReportsNoErrors() throws Exception {
        Path lintian = Tools.require("lintian", "lintian");
        // lintian exits 1 for errors, which the lines below name, and 2 when it cannot check at all.
        String text = run(List.of(lintian.toString(), "--tag-display-limit", "0", deb.toString()), Set.of(0, 1));
        System.err.println("lintian " + deb.getFileName() + ":\n" + text);
        List<String> errors = text.lines().filter(l -> l.startsWith("E: ")).toList();
        assertTrue(errors.isEmpty(), "lintian errors:\n" + String.join("\n", errors));
    }

    @Test
    void theExtractedLauncherAnswersUnderSystemdSocketActivateThroughItsSbinLink() throws Exception {
        Path activate = Tools.require("systemd-socket-activate", "systemd");
        Path root = extract();
        Path socket = dir.resolve("qga.sock");
        Map<String, String> env = Map.of("JQGA_CACHE_DIR", dir.resolve("cache").toString(),
                "JQGA_NO_AUTO_TRAIN", "1");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(activate.toString(), "-l", socket.toString(),
                root.resolve("usr/sbin/jqga").toString(), "--pidfile=" + dir.resolve("pid"), "--statedir=" + dir),
                env)) {
            agent.awaitStderr("as 3.", START);
            try (QgaClient client = QgaClient.connect(socket)) {
                assertEquals(new JsonObject(), client.call("{\"execute\":\"guest-ping\"}").get("return"),
                        agent.describe());
            }
        }
    }

    @Test
    void theManPageHasEveryOptionOfThePackagedAgentsHelp() throws Exception {
        Path root = extract();
        String help = run(List.of(root.resolve("usr/sbin/jqga").toString(), "--help"));
        String man;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve("usr/share/man/man8/jqga.8.gz")))) {
            man = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TreeSet<String> options = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^ {2}(?:-\\w, )?(--[\\w-]+)").matcher(help);
        while (m.find()) {
            options.add(m.group(1));
        }
        assertTrue(options.size() >= 30, "too few options parsed from --help: " + options);
        List<String> missing = new ArrayList<>();
        for (String o : options) {
            if (!man.contains(".B " + o.replace("-", "\\-")) && !man.contains(", " + o.replace("-", "\\-"))) {
                missing.add(o);
            }
        }
        assertTrue(missing.isEmpty(), "options of --help missing from jqga(8): " + missing);
    }

    private Path extract() throws Exception {
        Path root = dir.resolve("root");
        run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        return root;
    }

}
