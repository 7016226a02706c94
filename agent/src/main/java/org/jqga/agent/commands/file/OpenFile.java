package org.jqga.agent.commands.file;

import org.jqga.agent.dispatch.Base64Bytes;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;

/**
 * One open file handle. Reads and writes go straight to the descriptor (no stdio buffer), so a handle never holds
 * more than one request's data; the rules qemu-ga gets from stdio are reproduced: {@code eof} is true when a read
 * met end of file before {@code count} bytes, a write after a read first does a zero relative seek, and an
 * unseekable file then fails the same way. Operations on one handle are serialized.
 */
final class OpenFile {
    /** Bytes requested from the kernel at a time while filling a large read. */
    private static final int FIRST_CHUNK = 1 << 20;

    private enum LastOp { NONE, READ, WRITE }

    private final Libc libc;
    private final int fd;
    private LastOp last = LastOp.NONE;
    private boolean closed;

    OpenFile(Libc libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    synchronized FileCommands.FileRead read(int count) throws CommandException {
        if (count == 0) {
            last = LastOp.READ;
            return new FileCommands.FileRead(0, Base64Bytes.EMPTY, false);
        }
        byte[] buf = new byte[Math.min(count, FIRST_CHUNK)];
        int got = 0;
        boolean eof = false;
        while (got < count) {
            if (got == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(count, (long) buf.length * 4));
            }
            int n;
            try {
                n = libc.read(fd, buf, got, buf.length - got);
            } catch (ErrnoException e) {
                // A non-blocking pipe ran dry after some data: hand out what arrived rather than lose it.
                if (e.errno() == Libc.EAGAIN && got > 0) {
                    break;
                }
                throw new CommandException("failed to read file: " + e.getMessage());
            }
            if (n == 0) {
                eof = true;
                break;
            }
            got += n;
        }
        last = LastOp.READ;
        return new FileCommands.FileRead(got, new Base64Bytes(buf, 0, got), eof);
    }

    /** The position fix-up that stdio needs between a read and a write; the data is decoded only after it. */
    synchronized void prepareWrite() throws CommandException {
        if (last == LastOp.READ) {
            try {
                libc.lseek(fd, 0, Libc.SEEK_CUR);
            } catch (ErrnoException e) {
                throw new CommandException("failed to seek file: " + e.getMessage());
            }
            last = LastOp.NONE;
        }
    }

    synchronized FileCommands.FileWrite write(byte[] data, int count) throws CommandException {
        int done = 0;
        while (done < count) {
            try {
                done += libc.write(fd, data, done, count - done);
            } catch (ErrnoException e) {
                if (e.errno() == Libc.EAGAIN && done > 0) {
                    break;
                }
                throw new CommandException("failed to write to file: " + e.getMessage());
            }
        }
        last = LastOp.WRITE;
        return new FileCommands.FileWrite(done, false);
    }

    synchronized FileCommands.FileSeek seek(long offset, int whence) throws CommandException {
        try {
            long position = libc.lseek(fd, offset, whence);
            last = LastOp.NONE;
            return new FileCommands.FileSeek(position, false);
        } catch (ErrnoException e) {
            if (e.errno() == Libc.ESPIPE) {
                last = LastOp.NONE;
            }
            throw new CommandException("failed to seek file: " + e.getMessage());
        }
    }

    synchronized void close() throws CommandException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            libc.close(fd);
        } catch (ErrnoException e) {
            throw new CommandException("failed to close handle: " + e.getMessage());
        }
    }
}
