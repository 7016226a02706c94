package org.jqga.api.posix;

import java.util.List;

/**
 * A {@link Posix} that forwards every call to another one; override the calls to intercept. Tests use it to
 * record a call that must not really happen (e.g. {@code unsetenv} in the JVM running the suite); a daemon can use
 * it to trace its system calls. Kept beside {@link Posix} so that a new call cannot be forgotten here.
 */
public abstract class ForwardingPosix implements Posix {
    private final Posix delegate;

    protected ForwardingPosix(Posix delegate) {
        this.delegate = delegate;
    }

    @Override public long pid() { return delegate.pid(); }
    @Override public boolean isOpen(int fd) { return delegate.isOpen(fd); }
    @Override public FileType fileType(int fd) throws PosixException { return delegate.fileType(fd); }
    @Override public SocketInfo socketInfo(int fd) throws PosixException { return delegate.socketInfo(fd); }
    @Override public PeerCredentials peerCredentials(int fd) throws PosixException {
        return delegate.peerCredentials(fd);
    }
    @Override public void setCloseOnExec(int fd) throws PosixException { delegate.setCloseOnExec(fd); }
    @Override public boolean isCloseOnExec(int fd) throws PosixException { return delegate.isCloseOnExec(fd); }
    @Override public boolean isatty(int fd) { return delegate.isatty(fd); }
    @Override public void unsetenv(String name) throws PosixException { delegate.unsetenv(name); }
    @Override public void close(int fd) throws PosixException { delegate.close(fd); }
    @Override public String strerror(int errno) { return delegate.strerror(errno); }
    @Override public AcceptedSocket accept(int fd) throws PosixException { return delegate.accept(fd); }
    @Override public void shutdown(int fd, int how) throws PosixException { delegate.shutdown(fd, how); }
    @Override public String peerAddress(int fd) throws PosixException { return delegate.peerAddress(fd); }
    @Override public StatVfs statvfs(String path) throws PosixException { return delegate.statvfs(path); }
    @Override public Utsname uname() throws PosixException { return delegate.uname(); }
    @Override public List<InterfaceAddress> interfaceAddresses() throws PosixException {
        return delegate.interfaceAddresses();
    }
    @Override public FileKey fileKey(int fd) throws PosixException { return delegate.fileKey(fd); }
    @Override public void write(int fd, byte[] bytes) throws PosixException { delegate.write(fd, bytes); }
    @Override public void redirectToDevNull(int fd) throws PosixException { delegate.redirectToDevNull(fd); }
    @Override public int openReadOnly(String path) throws PosixException { return delegate.openReadOnly(path); }
    @Override public void freezeFilesystem(int fd) throws PosixException { delegate.freezeFilesystem(fd); }
    @Override public void thawFilesystem(int fd) throws PosixException { delegate.thawFilesystem(fd); }
    @Override public TrimmedRange trimFilesystem(int fd, long minimumBytes) throws PosixException {
        return delegate.trimFilesystem(fd, minimumBytes);
    }
    @Override public void setTimeOfDay(long seconds, long microseconds) throws PosixException {
        delegate.setTimeOfDay(seconds, microseconds);
    }
    @Override public int openDevice(String path) throws PosixException { return delegate.openDevice(path); }
    @Override public int read(int fd, byte[] buf, int off, int len) throws PosixException {
        return delegate.read(fd, buf, off, len);
    }
    @Override public int write(int fd, byte[] buf, int off, int len) throws PosixException {
        return delegate.write(fd, buf, off, len);
    }
    @Override public int[] poll(int[] fds, int[] events, int timeoutMillis) throws PosixException {
        return delegate.poll(fds, events, timeoutMillis);
    }
    @Override public int[] pipe() throws PosixException { return delegate.pipe(); }
    @Override public void makeRawSerial(int fd) throws PosixException { delegate.makeRawSerial(fd); }
    @Override public PseudoTerminal openPseudoTerminal() throws PosixException { return delegate.openPseudoTerminal(); }
}
