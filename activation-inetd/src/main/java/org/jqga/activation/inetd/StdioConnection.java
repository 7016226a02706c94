package org.jqga.activation.inetd;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import org.jqga.api.Connection;
import org.jqga.api.Peer;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * Requests from fd 0, responses to fd 1: pipes, a FIFO, a file an operator redirected in. Closing points both fds
 * at {@code /dev/null} rather than closing them: the writer at the other end sees end of file just the same, and
 * fds 0 and 1 stay taken so that no later {@code open} can become "standard input" by accident.
 */
final class StdioConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(StdioConnection.class.getName());
    private final Posix posix;
    private final Peer peer;
    private final InputStream in = new FileInputStream(FileDescriptor.in);
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);

    StdioConnection(Posix posix, Peer peer) {
        this.posix = posix;
        this.peer = peer;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public Peer peer() {
        return peer;
    }

    @Override
    public void close() {
        for (int fd : new int[] {1, 0}) {
            try {
                posix.redirectToDevNull(fd);
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "releasing stdio: " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "stdio connection, peer " + peer;
    }
}
