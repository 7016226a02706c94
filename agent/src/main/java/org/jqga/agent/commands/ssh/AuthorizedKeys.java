package org.jqga.agent.commands.ssh;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.linux.PasswdEntry;

/**
 * A user's {@code ~/.ssh/authorized_keys}, kept the way sshd's StrictModes wants it: {@code ~/.ssh} is created
 * 0700 and the file is 0600, both owned by the user. The file is replaced atomically: the new content goes to a
 * temporary file in {@code ~/.ssh} that is created 0600 and owned by the user before a single byte is written, and
 * is then renamed over the old one, so sshd never sees a half-written or wrongly-owned file. Content rules are
 * qemu-ga's: lines are split on {@code \n} and rejoined with {@code \n}, without a final newline.
 */
final class AuthorizedKeys {
    private static final char LEFT_QUOTE = 0x201C;
    private static final char RIGHT_QUOTE = 0x201D;

    private final Libc libc;

    @Inject
    AuthorizedKeys(Libc libc) {
        this.libc = libc;
    }

    /** qemu-ga's sanity check: a key may not be a comment and may not span lines; one bad key rejects all. */
    static void validate(List<String> keys) throws CommandException {
        for (String key : keys) {
            if (key.startsWith("#") || key.indexOf('\n') >= 0) {
                throw new CommandException("invalid OpenSSH public key: '" + key + "'");
            }
        }
    }

    PasswdEntry user(String username) throws CommandException {
        try {
            // qemu-ga formats g_strerror(errno) after getpwnam(); for a user that does not exist errno is still 0,
            // so host tools see ": Success" (qemu-ga 7.2 and master alike), and so do we.
            return libc.getpwnam(username).orElseThrow(
                    () -> new CommandException("failed to lookup user '" + username + "': Success"));
        } catch (ErrnoException e) {
            throw new CommandException("failed to lookup user '" + username + "': " + e.getMessage());
        }
    }

    static Path file(PasswdEntry user) {
        return Path.of(user.home(), ".ssh", "authorized_keys");
    }

    /** The keys, newest (last line) first, without blank lines and comments. */
    List<String> get(String username) throws CommandException {
        Path path = file(user(username));
        List<String> keys = new ArrayList<>();
        for (String line : read(path)) {
            String key = stripAscii(line);
            if (!key.isEmpty() && !key.startsWith("#")) {
                keys.add(0, key);
            }
        }
        return keys;
    }

    void add(String username, List<String> keys, boolean reset) throws CommandException {
        validate(keys);
        PasswdEntry user = user(username);
        Path path = file(user);
        List<String> lines = null;
        if (!reset) {
            try {
                lines = read(path);
            } catch (CommandException unreadable) {
                lines = null; // as in qemu-ga: an unreadable file is started afresh
            }
        }
        if (lines == null) {
            lines = new ArrayList<>();
            Path dir = path.getParent();
            if (!Files.isDirectory(dir)) {
                createDirectory(dir, user);
            }
        }
        for (String key : keys) {
            if (!lines.contains(key)) {
                lines.add(key);
            }
        }
        write(path, lines, user);
    }

    void remove(String username, List<String> keys) throws CommandException {
        validate(keys);
        PasswdEntry user = user(username);
        Path path = file(user);
        if (!Files.exists(path)) {
            return;
        }
        List<String> lines = new ArrayList<>(read(path));
        lines.removeIf(keys::contains);
        write(path, lines, user);
    }

    private static List<String> read(Path path) throws CommandException {
        try {
            String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new ArrayList<>(); // g_strsplit gives no lines at all for ""
            }
            return new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        } catch (IOException e) {
            throw new CommandException("failed to read '" + path + "': Failed to open file " + LEFT_QUOTE + path
                    + RIGHT_QUOTE + ": " + reason(e));
        }
    }

    private static void createDirectory(Path dir, PasswdEntry user) throws CommandException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (IOException e) {
            throw new CommandException("failed to create directory '" + dir + "': " + reason(e));
        }
        try {
            chown(dir, user);
        } catch (IOException e) {
            throw new CommandException("failed to set ownership of directory '" + dir + "': " + reason(e));
        }
        try {
            Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new CommandException("failed to set permissions of directory '" + dir + "': " + reason(e));
        }
    }

    private static void write(Path path, List<String> lines, PasswdEntry user) throws CommandException {
        byte[] content = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(path.getParent(), ".authorized_keys.", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            chown(tmp, user);
            Files.setAttribute(tmp, "unix:mode", 0600, LinkOption.NOFOLLOW_LINKS);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new CommandException("failed to write to '" + path + "': " + reason(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    private static void chown(Path p, PasswdEntry user) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) user.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) user.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /** strerror-like text for an I/O failure. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** GLib's g_strstrip: ASCII whitespace only. */
    private static String stripAscii(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isAsciiSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
