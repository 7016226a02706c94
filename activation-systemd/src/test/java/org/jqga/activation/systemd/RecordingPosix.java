package org.jqga.activation.systemd;

import java.util.ArrayList;
import java.util.List;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.PeerCredentials;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketInfo;

/**
 * The real {@link Posix}, except that {@code unsetenv} is recorded instead of done: a test must not strip the
 * variables of the JVM running the whole suite, and what matters is which names the provider removes.
 */
final class RecordingPosix implements Posix {
    private final Posix real = Posix.load();
    final List<String> unset = new ArrayList<>();
    final List<Integer> closed = new ArrayList<>();

    @Override public long pid() { return real.pid(); }
    @Override public boolean isOpen(int fd) { return real.isOpen(fd); }
    @Override public FileType fileType(int fd) throws PosixException { return real.fileType(fd); }
    @Override public SocketInfo socketInfo(int fd) throws PosixException { return real.socketInfo(fd); }
    @Override public PeerCredentials peerCredentials(int fd) throws PosixException { return real.peerCredentials(fd); }
    @Override public void setCloseOnExec(int fd) throws PosixException { real.setCloseOnExec(fd); }
    @Override public boolean isCloseOnExec(int fd) throws PosixException { return real.isCloseOnExec(fd); }
    @Override public boolean isatty(int fd) { return real.isatty(fd); }
    @Override public void unsetenv(String name) { unset.add(name); }
    @Override public void close(int fd) throws PosixException {
        closed.add(fd);
        real.close(fd);
    }
    @Override public String strerror(int errno) { return real.strerror(errno); }
}
