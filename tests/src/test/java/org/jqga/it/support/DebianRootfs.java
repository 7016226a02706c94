package org.jqga.it.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Debian 12 root file system made with {@code debootstrap}, for booting systemd in a container. It is made once
 * per package list and kept outside the repository, in {@code /var/cache/jqga-it} or the directory the system
 * property {@code jqga.rootfs.cache} names, with the downloaded .debs beside it; a fresh machine (CI's) makes it
 * from scratch. Tests never change it: {@link SystemdContainer} boots it under a volatile overlay.
 */
public final class DebianRootfs {
    private static final String SUITE = "bookworm";
    /**
     * systemd as PID 1 with a user manager for root ({@code systemctl --user}); the Java runtime the package depends
     * on, so that dpkg installs it offline; man, which {@code systemd-analyze verify} runs for each
     * {@code Documentation=man:} page; and Debian's qemu-guest-agent, which the package must take over from.
     */
    private static final List<String> PACKAGES = List.of("systemd-sysv", "dbus", "dbus-user-session",
            "libpam-systemd", "default-jre-headless", "man-db", "qemu-guest-agent");
    private static final Duration BUILD = Duration.ofMinutes(20);
    private static final Pattern DEB822_URI = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
    private static final Pattern ONE_LINE_URI = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+bookworm\\s");

    private DebianRootfs() {
    }

    /** The root file system, made first if this machine has none for today's package list. */
    public static Path ensure() throws IOException, InterruptedException {
        Path cache = Path.of(System.getProperty("jqga.rootfs.cache", "/var/cache/jqga-it"));
        Files.createDirectories(cache);
        Path root = cache.resolve(SUITE + "-" + key());
        // One maker at a time; a second test run waits and then finds it made.
        try (FileChannel lockFile = FileChannel.open(cache.resolve(root.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lockFile.lock(); // released when the channel closes
            if (!Files.isDirectory(root)) {
                make(cache, root);
            }
        }
        return root;
    }

    /** Names the root file system after what is in it, so that a changed list makes a new one. */
    private static String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((SUITE + " " + String.join(" ", PACKAGES)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static void make(Path cache, Path root) throws IOException, InterruptedException {
        // Made beside its final name and renamed when complete: an interrupted run leaves no half-made root behind.
        Path partial = cache.resolve(root.getFileName() + ".partial");
        Exec.run(List.of("rm", "-rf", "--one-file-system", partial.toString()), Map.of(), cache,
                Duration.ofMinutes(2));
        Path debs = Files.createDirectories(cache.resolve("debs"));
        String mirror = mirror();
        System.err.println("DebianRootfs: making " + root + " with debootstrap from " + mirror
                + " (once per machine; about 2 minutes)");
        List<String> command = new ArrayList<>(List.of("debootstrap", "--variant=minbase",
                "--cache-dir=" + debs, "--include=" + String.join(",", PACKAGES), SUITE, partial.toString(),
                mirror));
        Exec.Result made = Exec.run(command, Map.of(), cache, BUILD);
        if (made.status() != 0) {
            throw new AssertionError("debootstrap could not make the root file system: " + command + "\n" + made);
        }
        // Root's user manager starts at boot, as for a logged-in user, so that systemctl --user has one to talk to.
        Path linger = Files.createDirectories(partial.resolve("var/lib/systemd/linger"));
        Files.createFile(linger.resolve("root"));
        Files.move(partial, root);
    }

    /** The Debian mirror this machine's apt uses, where a fresh machine can reach one. */
    private static String mirror() throws IOException {
        List<Path> sources = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        Path dir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".sources") || p.toString().endsWith(".list"))
                        .sorted().forEach(sources::add);
            }
        }
        for (Path source : sources) {
            if (!Files.isRegularFile(source)) {
                continue;
            }
            String text = Files.readString(source);
            for (Pattern p : List.of(DEB822_URI, ONE_LINE_URI)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    String uri = m.group(1);
                    if (uri.startsWith("http") && uri.endsWith("/debian")) {
                        return uri;
                    }
                }
            }
        }
        return "http://deb.debian.org/debian";
    }
}
