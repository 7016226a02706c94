package org.jqga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A java binary and the JDK feature release it belongs to, read from the JDK's {@code release} file. */
record Jdk(Path java, int feature, String version) {
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");

    /** The JDK whose {@code bin/java} is {@code java}; its feature release is 0 when no release file says it. */
    static Jdk of(Path java) {
        Path real;
        try {
            real = java.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("java binary " + java + " does not exist");
        }
        Path home = real.getParent() == null ? null : real.getParent().getParent();
        String version = "unknown";
        if (home != null) {
            try {
                Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
                if (m.find()) {
                    version = m.group(1);
                }
            } catch (IOException e) {
                // no release file: version stays unknown
            }
        }
        return new Jdk(real, feature(version).orElse(0), version);
    }

    static OptionalInt feature(String version) {
        Matcher m = Pattern.compile("^(?:1\\.)?(\\d+)").matcher(version);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The JVM running the harness. */
    static Jdk current() {
        return of(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** The newest JDK of at least {@code minFeature} in /usr/lib/jvm (Debian's and Temurin's place). */
    static Optional<Jdk> newestInstalled(int minFeature) {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.map(h -> h.resolve("bin/java")).filter(Files::isExecutable).map(Jdk::of)
                    .filter(j -> j.feature() >= minFeature).distinct()
                    .max(Comparator.comparingInt(Jdk::feature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
