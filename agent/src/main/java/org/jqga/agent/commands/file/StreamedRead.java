package org.jqga.agent.commands.file;

import java.io.IOException;
import java.io.OutputStream;
import org.jqga.agent.dispatch.Base64Payload;
import org.jqga.agent.dispatch.IncompleteReplyException;
import org.jqga.agent.linux.ErrnoException;

/**
 * The bytes of a large {@code guest-file-read}, read from the file with {@code pread} in {@link #CHUNK}s and
 * base64-encoded into the client's stream as the reply is written: the heap holds one chunk, not the read and its
 * base64. The count was promised when the command ran (see {@link OpenFile}); if the file has shrunk since, the
 * reply cannot be completed and {@link IncompleteReplyException} says what was promised and what was delivered.
 */
final class StreamedRead implements Base64Payload {
    /** 48 KiB, a multiple of 3: each chunk's base64 (64 KiB) has no padding and follows the previous one's. */
    static final int CHUNK = 48 * 1024;

    private final OpenFile file;
    private final long start;
    private final long promised;
    private byte[] first;
    private boolean released;

    /** {@code first} holds the first bytes from {@code start} (a whole chunk, or all promised), already read. */
    StreamedRead(OpenFile file, long start, long promised, byte[] first) {
        this.file = file;
        this.start = start;
        this.promised = promised;
        this.first = first;
    }

    @Override
    public long size() {
        return promised;
    }

    @Override
    public void writeBase64(OutputStream out) throws IOException {
        byte[] buf = first;
        first = null;
        if (buf == null) {
            throw new IllegalStateException("a streamed read is written once");
        }
        OutputStream encoder = Base64Payload.encoderTo(out);
        encoder.write(buf);
        long done = buf.length;
        if (done < promised && buf.length < CHUNK) {
            buf = new byte[CHUNK];
        }
        while (done < promised) {
            int want = (int) Math.min(CHUNK, promised - done);
            int n;
            try {
                n = file.libc().pread(file.fd(), buf, 0, want, start + done);
            } catch (ErrnoException e) {
                file.streamCutShort(start + promised, start + done);
                throw new IncompleteReplyException("guest-file-read of " + file.name() + " promised " + promised
                        + " bytes from offset " + start + " but reading failed after " + done + ": " + e.getMessage());
            }
            if (n == 0) {
                file.streamCutShort(start + promised, start + done);
                throw new IncompleteReplyException("guest-file-read of " + file.name() + " promised " + promised
                        + " bytes from offset " + start + " but the file ended after " + done
                        + " (it shrank while being read)");
            }
            encoder.write(buf, 0, n);
            done += n;
        }
        encoder.close();
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            first = null;
            file.streamEnded();
        }
    }

    @Override
    public String toString() {
        return promised + " bytes of " + file.name() + " from offset " + start;
    }
}
