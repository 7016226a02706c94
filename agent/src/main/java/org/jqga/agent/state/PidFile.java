package org.jqga.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A pidfile held with an fcntl write lock for the agent's lifetime, like qemu-ga's: a second agent with the same
 * pidfile cannot lock it and is told which pid holds it. Removed on {@link #close()}.
 */
public final class PidFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private PidFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    public static PidFile create(Path path, long pid) throws IOException {
        FileChannel ch = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock pid file " + path + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder;
            try {
                holder = Files.readString(path, StandardCharsets.US_ASCII).trim();
            } finally {
                ch.close();
            }
            throw new IOException("Cannot lock pid file " + path + ": it is held by pid "
                    + (holder.isEmpty() ? "(unknown)" : holder));
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(true);
        return new PidFile(path, ch, lock);
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
