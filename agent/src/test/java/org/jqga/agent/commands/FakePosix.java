package org.jqga.agent.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.InterfaceAddress;
import org.jqga.api.posix.PeerCredentials;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.posix.StatVfs;
import org.jqga.api.posix.Utsname;

/** The three calls the information commands make, answered from values a test sets; nothing else is offered. */
public final class FakePosix implements Posix {
    public Utsname uname = new Utsname("Linux", "fixture-host", "6.1.0-fixture", "#1 SMP fixture", "x86_64");
    public final List<InterfaceAddress> interfaces = new ArrayList<>();
    /** By mount point: the agent asks about the mount point under the fixture root, e.g. .../vm1/boot. */
    public final Map<String, StatVfs> statvfs = new HashMap<>();

    @Override
    public Utsname uname() {
        return uname;
    }

    @Override
    public List<InterfaceAddress> interfaceAddresses() {
        return List.copyOf(interfaces);
    }

    @Override
    public StatVfs statvfs(String path) throws PosixException {
        for (Map.Entry<String, StatVfs> e : statvfs.entrySet()) {
            if (path.endsWith("/vm1" + (e.getKey().equals("/") ? "" : e.getKey()))) {
                return e.getValue();
            }
        }
        throw new PosixException("statvfs(\"" + path + "\"): No such file or directory", 2);
    }

    private static UnsupportedOperationException notHere() {
        return new UnsupportedOperationException("not used by the information commands");
    }

    @Override
    public long pid() {
        throw notHere();
    }

    @Override
    public boolean isOpen(int fd) {
        throw notHere();
    }

    @Override
    public FileType fileType(int fd) {
        throw notHere();
    }

    @Override
    public SocketInfo socketInfo(int fd) {
        throw notHere();
    }

    @Override
    public PeerCredentials peerCredentials(int fd) {
        throw notHere();
    }

    @Override
    public void setCloseOnExec(int fd) {
        throw notHere();
    }

    @Override
    public boolean isCloseOnExec(int fd) {
        throw notHere();
    }

    @Override
    public boolean isatty(int fd) {
        throw notHere();
    }

    @Override
    public void unsetenv(String name) {
        throw notHere();
    }

    @Override
    public void close(int fd) {
        throw notHere();
    }

    @Override
    public String strerror(int errno) {
        throw notHere();
    }
}
