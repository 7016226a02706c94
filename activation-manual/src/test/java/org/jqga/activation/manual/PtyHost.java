package org.jqga.activation.manual;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.PseudoTerminal;

/** The host side of a pseudo-terminal standing in for a device: writes requests, reads what the guest sent. */
final class PtyHost implements AutoCloseable {
    private final Posix posix;
    private final PseudoTerminal pty;
    private boolean closed;

    PtyHost(Posix posix) throws PosixException {
        this.posix = posix;
        this.pty = posix.openPseudoTerminal();
    }

    /**
     * Raw mode for the pair, set from the master (Linux applies a master's termios to its slave): a virtio-serial
     * port is no tty, so the endpoint leaves termios alone and the stand-in must not echo or buffer lines.
     */
    PtyHost raw() throws PosixException {
        posix.makeRawSerial(pty.masterFd());
        return this;
    }

    String slavePath() {
        return pty.slavePath();
    }

    void send(String text) throws PosixException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int off = 0;
        while (off < b.length) {
            off += posix.write(pty.masterFd(), b, off, b.length - off);
        }
    }

    /** Reads until {@code n} bytes arrived; fails after {@code timeoutMillis} (a hang guard, not a measurement). */
    String receive(int n, int timeoutMillis) throws PosixException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        byte[] buf = new byte[256];
        while (got.size() < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            assertTrue(left > 0, "only " + got.size() + " of " + n + " bytes arrived: " + got);
            int[] rev = posix.poll(new int[] {pty.masterFd()}, new int[] {Posix.POLLIN}, (int) left);
            if ((rev[0] & Posix.POLLIN) != 0) {
                got.write(buf, 0, posix.read(pty.masterFd(), buf, 0, Math.min(buf.length, n - got.size())));
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** Closing the master hangs up the slave, as a host process going away does. */
    @Override
    public void close() throws PosixException {
        if (!closed) {
            closed = true;
            posix.close(pty.masterFd());
        }
    }
}
