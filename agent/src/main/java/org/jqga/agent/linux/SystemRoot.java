package org.jqga.agent.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directory that stands for {@code /}: the host's root in production, a fixture tree in unit tests. Commands
 * name files by their real absolute paths ({@code /proc/stat}) and errors name them that way too.
 */
public final class SystemRoot {
    private final Path root;

    private SystemRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The real system. */
    public static SystemRoot host() {
        return new SystemRoot(Path.of("/"));
    }

    /** A tree whose {@code proc/}, {@code sys/}, {@code etc/} … stand for the system's. */
    public static SystemRoot at(Path root) {
        return new SystemRoot(root);
    }

    /** Where the absolute system path {@code absolute} lives under this root. */
    public Path path(String absolute) {
        String rel = absolute;
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** The system path of a file under this root (the inverse of {@link #path}). */
    public String systemPath(Path p) {
        Path rel = realRoot().relativize(p);
        String s = rel.toString();
        return s.isEmpty() ? "/" : "/" + s;
    }

    private Path realRoot() {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    public byte[] readBytes(String absolute) throws FileFailure {
        try {
            return Files.readAllBytes(path(absolute));
        } catch (IOException e) {
            throw FileFailure.of(absolute, e);
        }
    }

    /** The whole file as UTF-8 (invalid bytes become U+FFFD). */
    public String read(String absolute) throws FileFailure {
        return new String(readBytes(absolute), StandardCharsets.UTF_8);
    }

    /** Like {@code pread(fd, buf, max, 0)}: at most {@code max} bytes from the start. */
    public byte[] readPrefix(String absolute, int max) throws FileFailure {
        try (InputStream in = Files.newInputStream(path(absolute))) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw FileFailure.of(absolute, e);
        }
    }

    /** The file's lines, or empty when it does not exist. */
    public Optional<String> readIfExists(String absolute) throws FileFailure {
        try {
            return Optional.of(read(absolute));
        } catch (FileFailure f) {
            if (f.isNotFound()) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** The names in a directory, in the order the kernel returns them (like {@code readdir}). */
    public List<String> list(String absoluteDir) throws FileFailure {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path(absoluteDir))) {
            for (Path p : dir) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw FileFailure.of(absoluteDir, e);
        }
        return names;
    }

    public boolean isSymbolicLink(String absolute) {
        return Files.isSymbolicLink(path(absolute));
    }

    /** {@code d_type == DT_DIR}: a directory, not a link to one. */
    public boolean isDirectoryEntry(String absolute) {
        return Files.isDirectory(path(absolute), LinkOption.NOFOLLOW_LINKS);
    }

    public boolean exists(String absolute) {
        return Files.exists(path(absolute), LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code realpath(3)}: the system path with every symbolic link resolved. */
    public String realpath(String absolute) throws FileFailure {
        try {
            return systemPath(path(absolute).toRealPath());
        } catch (IOException e) {
            throw FileFailure.of(absolute, e);
        }
    }

    /** {@code readlink(2)}: the link's target text. */
    public Optional<String> readlink(String absolute) {
        try {
            return Optional.of(Files.readSymbolicLink(path(absolute)).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "SystemRoot[" + root + "]";
    }
}
