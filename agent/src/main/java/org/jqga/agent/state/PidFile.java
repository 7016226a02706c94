package org.jqga.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A pidfile held like qemu-ga's ({@code qemu_write_pidfile}): opened read/write, created 0600 if missing, then
 * write-locked with a non-blocking fcntl lock (Java's FileChannel locks are fcntl locks on Linux, so jqga and qemu-ga
 * exclude each other), checked to still be the file at the path (a holder that was exiting may have unlinked it
 * between our open and our lock; then we try again), truncated, and given {@code PID\n}. The lock is held for the
 * agent's lifetime; a second agent cannot take it and is told which pid holds it. {@link #close()} removes the
 * file. The path is kept absolute, so a daemon that changed its working directory removes the right file.
 */
public final class PidFile implements AutoCloseable {
    private static final int ATTEMPTS = 5;
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private PidFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    public static PidFile create(Path path, long pid) throws IOException {
        Path absolute = path.toAbsolutePath();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            FileChannel ch;
            try {
                ch = FileChannel.open(absolute, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (IOException e) {
                throw new IOException("Cannot open pid file " + absolute + ": " + reason(e), e);
            }
            Object inodeAtOpen = inode(absolute);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process holds it
            } catch (IOException e) {
                ch.close();
                throw new IOException("Cannot lock pid file " + absolute + ": " + reason(e), e);
            }
            if (lock == null) {
                String holder;
                try {
                    holder = Files.readString(absolute, StandardCharsets.US_ASCII).trim();
                } catch (IOException e) {
                    holder = "";
                } finally {
                    ch.close();
                }
                throw new IOException("Cannot lock pid file " + absolute + ": it is held by pid "
                        + (holder.isEmpty() ? "(unknown: the file is empty)" : holder));
            }
            Object inodeLocked = inode(absolute);
            if (inodeAtOpen == null || !inodeAtOpen.equals(inodeLocked)) {
                lock.release();
                ch.close();
                continue; // the file we locked is no longer the one at the path
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return new PidFile(absolute, ch, lock);
        }
        throw new IOException("Cannot lock pid file " + absolute + ": it was replaced " + ATTEMPTS
                + " times while being locked");
    }

    public Path path() {
        return path;
    }

    private static Object inode(Path p) {
        try {
            return Files.getAttribute(p, "unix:ino");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(path);
        } finally {
            lock.release();
            channel.close();
        }
    }
}
