package org.jqga.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The .deb that {@code mvn package} wrote in dist/target: jqga_VERSION-REVISION_amd64.deb. */
public final class DebPackage {
    private DebPackage() {
    }

    public static Path find() throws IOException {
        Path target = Path.of(System.getProperty("jqga.dist.target"));
        String prefix = "jqga_" + System.getProperty("jqga.version") + "-";
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith("_amd64.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*_amd64.deb in " + target
                            + ": dist did not build the package"));
        }
    }
}
