package org.jqga.agent.linux;

import java.nio.file.Path;

/**
 * Maps the absolute paths qemu-ga uses ({@code /sys/power/state}, {@code /sbin/poweroff}, ...) to the files to
 * touch. The agent uses the real root; tests use a temporary directory laid out the same way. Error texts always
 * name the qemu-ga path, so they read the same either way.
 */
public record HostPaths(Path root) {
    public static final HostPaths REAL = new HostPaths(Path.of("/"));

    /** {@code absolute} (starting with {@code /}) under {@link #root()}. */
    public Path resolve(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        return root.resolve(absolute.substring(1));
    }
}
