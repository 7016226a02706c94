package org.jqga.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.PseudoTerminal;

/**
 * The host side of a pseudo-terminal that stands in for a virtio-serial port or a serial line: the agent opens
 * the slave, the test writes requests to the master and reads the agent's responses from it. Closing the master
 * hangs the slave up, as a host program that goes away does.
 */
public final class PtyHost implements AutoCloseable {
    private final Posix posix;
    private final PseudoTerminal pty;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closed;

    public PtyHost(Posix posix) throws PosixException {
        this.posix = posix;
        this.pty = posix.openPseudoTerminal();
    }

    /** Raw mode, set from the master (Linux applies it to the slave): a virtio-serial port neither echoes nor edits. */
    public PtyHost raw() throws PosixException {
        posix.makeRawSerial(pty.masterFd());
        return this;
    }

    public String slavePath() {
        return pty.slavePath();
    }

    public void send(String text) throws PosixException {
        sendBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes every byte (one write per call for short texts, so a reopen's input flush takes all or none). */
    public void sendBytes(byte[] b) throws PosixException {
        int off = 0;
        while (off < b.length) {
            try {
                off += posix.write(pty.masterFd(), b, off, b.length - off);
            } catch (PosixException e) {
                if (e.errno() != PosixException.EAGAIN) {
                    throw e;
                }
                posix.poll(new int[] {pty.masterFd()}, new int[] {Posix.POLLOUT}, 1000);
            }
        }
    }

    /**
     * The next line the agent sent (up to and including '\n', 0xFF kept), as ISO-8859-1 so bytes map 1:1; or null
     * when none is complete within {@code timeout} (a hang guard).
     */
    public String readLine(Duration timeout) throws PosixException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] have = received.toByteArray();
            for (int i = 0; i < have.length; i++) {
                if (have[i] == '\n') {
                    received.reset();
                    received.write(have, i + 1, have.length - i - 1);
                    return new String(Arrays.copyOf(have, i + 1), StandardCharsets.ISO_8859_1);
                }
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            int[] rev = posix.poll(new int[] {pty.masterFd()}, new int[] {Posix.POLLIN}, (int) left);
            if ((rev[0] & Posix.POLLIN) != 0) {
                byte[] buf = new byte[4096];
                try {
                    int n = posix.read(pty.masterFd(), buf, 0, buf.length);
                    received.write(buf, 0, n);
                } catch (PosixException e) {
                    if (e.errno() != PosixException.EAGAIN && e.errno() != PosixException.EIO) {
                        throw e;
                    }
                    if (e.errno() == PosixException.EIO) {
                        return null; // the agent side closed the slave
                    }
                }
            }
        }
    }

    @Override
    public void close() throws PosixException {
        if (!closed) {
            closed = true;
            posix.close(pty.masterFd());
        }
    }
}
