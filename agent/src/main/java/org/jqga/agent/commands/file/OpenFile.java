package org.jqga.agent.commands.file;

import java.util.logging.Logger;
import org.jqga.agent.dispatch.Base64Bytes;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.FileStatus;
import org.jqga.agent.linux.Libc;

/**
 * One open file handle. Reads and writes go straight to the descriptor (no stdio buffer), so a handle never holds
 * more than one request's data; the rules qemu-ga gets from stdio are reproduced: {@code eof} is true when a read
 * met end of file before {@code count} bytes, a write after a read first does a zero relative seek, and an
 * unseekable file then fails the same way. Operations on one handle are serialized.
 *
 * <p>A large read of a regular file is {@linkplain StreamedRead streamed}: the count it delivers is decided from the
 * file's size when the command runs, the file position moves past those bytes at once (so the read is atomic for
 * any other request on the handle), and the bytes are read with {@code pread} and base64-encoded into the client's
 * stream while the reply is written. The descriptor stays open until the stream has ended, even if the handle is
 * closed meanwhile, so that a reused descriptor number is never read.
 */
final class OpenFile {
    private static final Logger LOG = Logger.getLogger(OpenFile.class.getName());
    /** Bytes requested from the kernel at a time while filling a large buffered read. */
    private static final int FIRST_CHUNK = 1 << 20;
    /** Reads that would deliver at least this many bytes of a regular file are streamed. */
    static final int STREAM_MIN = 1 << 20;

    private enum LastOp { NONE, READ, WRITE }

    private final Libc libc;
    private final int fd;
    /** "handle N (path)", for log lines. */
    private final String name;
    /** {@link #STREAM_MIN}, lower in tests. */
    private final int streamMin;
    private LastOp last = LastOp.NONE;
    private boolean closed;
    /** Streamed reads whose reply is not yet written: the descriptor is closed only after the last one. */
    private int streams;

    OpenFile(Libc libc, int fd, String name) {
        this(libc, fd, name, STREAM_MIN);
    }

    OpenFile(Libc libc, int fd, String name, int streamMin) {
        this.libc = libc;
        this.fd = fd;
        this.name = name;
        this.streamMin = Math.max(1, streamMin);
    }

    int fd() {
        return fd;
    }

    String name() {
        return name;
    }

    Libc libc() {
        return libc;
    }

    synchronized FileCommands.FileRead read(int count) throws CommandException {
        if (count == 0) {
            last = LastOp.READ;
            return new FileCommands.FileRead(0, Base64Bytes.EMPTY, false);
        }
        if (count >= streamMin) {
            FileCommands.FileRead streamed = stream(count);
            if (streamed != null) {
                return streamed;
            }
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

    /**
     * The streamed form of a read of {@code count} bytes, or null when the read must be buffered: not a regular file,
     * fewer than {@link #STREAM_MIN} bytes left by its size ({@code /proc} and {@code /sys} files report 0 or 4096),
     * or anything unexpected (an error, a first chunk shorter than the size promises), which the buffered read then
     * meets and reports as qemu-ga would. Nothing has moved the file position when it returns null.
     */
    private FileCommands.FileRead stream(int count) {
        long position;
        long promised;
        byte[] first;
        try {
            FileStatus status = libc.fstat(fd);
            if (!status.regularFile() || status.size() <= 0) {
                return null;
            }
            position = libc.lseek(fd, 0, Libc.SEEK_CUR);
            promised = Math.min(count, status.size() - position);
            if (promised < streamMin) {
                return null;
            }
            // The first chunk now, so that an fd not open for reading (EBADF) or a directory (EISDIR) is the
            // buffered read's error reply, not a broken stream.
            first = new byte[(int) Math.min(StreamedRead.CHUNK, promised)];
            if (libc.pread(fd, first, 0, first.length, position) < first.length) {
                return null;
            }
            libc.lseek(fd, position + promised, Libc.SEEK_SET);
        } catch (ErrnoException e) {
            return null;
        }
        last = LastOp.READ;
        streams++;
        return new FileCommands.FileRead(promised, new StreamedRead(this, position, promised, first),
                promised < count);
    }

    /**
     * A streamed read delivered only {@code delivered} of the bytes it moved the position past: the position goes
     * back to just after them, where a read that met the shorter file would have left it, unless another request on
     * the handle has moved it since.
     */
    synchronized void streamCutShort(long promisedEnd, long deliveredEnd) {
        if (closed) {
            return;
        }
        try {
            if (libc.lseek(fd, 0, Libc.SEEK_CUR) == promisedEnd) {
                libc.lseek(fd, deliveredEnd, Libc.SEEK_SET);
            }
        } catch (ErrnoException e) {
            LOG.warning("cannot set the position of " + name + " after a cut-short read: " + e.getMessage());
        }
    }

    /** A streamed read's reply has been written or given up. */
    synchronized void streamEnded() {
        streams--;
        if (closed && streams == 0) {
            try {
                libc.close(fd);
            } catch (ErrnoException e) {
                LOG.warning("cannot close " + name + " after its last read: " + e.getMessage());
            }
        }
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
        if (streams > 0) {
            return; // closed by the last stream to end: its bytes are read from this descriptor
        }
        try {
            libc.close(fd);
        } catch (ErrnoException e) {
            throw new CommandException("failed to close handle: " + e.getMessage());
        }
    }
}
