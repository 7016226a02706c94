package org.jqga.activation.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Real descriptors at chosen numbers, as a supervisor would pass them: the parser's first fd is a parameter, so a
 * test places sockets at consecutive numbers of its own and hands those over. Numbers are never reused within the
 * JVM, because an adopted descriptor may still be referenced by a socket object until it is collected. Public for
 * the tests of {@code org.jqga.api.InheritedSockets} that run here, beside the systemd provider.
 */
public final class NativeFds {
    /** libc, for the calls a test needs to build what systemd would pass. */
    public interface LibC {
        int socket(int domain, int type, int protocol);
        int bind(int fd, Pointer addr, int len);
        int listen(int fd, int backlog);
        int socketpair(int domain, int type, int protocol, int[] fds);
        int dup2(int from, int to);
        int close(int fd);
        int open(String path, int flags, int mode);
        int dup(int fd);
    }

    public static final int AF_UNIX = 1;
    public static final int AF_VSOCK = 40;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    private static final int O_RDONLY = 0;
    private static final AtomicInteger NEXT = new AtomicInteger(600);
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private NativeFds() {
    }

    /** {@code count} fresh consecutive fd numbers; the first is returned. */
    public static int reserve(int count) {
        return NEXT.getAndAdd(count + 2);
    }

    public static void close(int fd) {
        LIBC.close(fd);
    }

    private static int check(int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed, errno " + RUNTIME.getLastError());
        }
        return result;
    }

    /** Moves {@code fd} to {@code target} (without FD_CLOEXEC, as systemd passes it). */
    public static int place(int fd, int target) throws IOException {
        check(LIBC.dup2(fd, target), "dup2");
        LIBC.close(fd);
        return target;
    }

    private static Pointer unixAddress(Path path) {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        Pointer addr = Memory.allocateDirect(RUNTIME, 110, true);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(2, p, 0, p.length);
        return addr;
    }

    public static int unixSocket(Path path, int type, boolean listen, int target) throws IOException {
        int fd = check(LIBC.socket(AF_UNIX, type, 0), "socket");
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        check(LIBC.bind(fd, unixAddress(path), 2 + p.length + 1), "bind " + path);
        if (listen) {
            check(LIBC.listen(fd, 16), "listen");
        }
        return place(fd, target);
    }

    /** A connected pair; the first end is placed at {@code target}, the second returned at {@code target + 1}. */
    public static int[] socketPair(int target) throws IOException {
        int[] fds = new int[2];
        check(LIBC.socketpair(AF_UNIX, SOCK_STREAM, 0, fds), "socketpair");
        return new int[] {place(fds[0], target), place(fds[1], target + 1)};
    }

    public static int unboundStreamSocket(int target) throws IOException {
        return place(check(LIBC.socket(AF_UNIX, SOCK_STREAM, 0), "socket"), target);
    }

    public static int regularFile(Path path, int target) throws IOException {
        return place(check(LIBC.open(path.toString(), O_RDONLY, 0), "open " + path), target);
    }

    /** A copy of {@code fd}, as the supervisor keeps one of every socket it passes. */
    public static int dup(int fd) throws IOException {
        return check(LIBC.dup(fd), "dup");
    }

    /** An AF_INET listener on 127.0.0.1 at a port the kernel picks. */
    public static int tcpListener(int target) throws IOException {
        int fd = check(LIBC.socket(2, SOCK_STREAM, 0), "socket");
        Pointer addr = Memory.allocateDirect(RUNTIME, 16, true);
        addr.putShort(0, (short) 2); // AF_INET; port 0 (any); address in network byte order:
        addr.put(4, new byte[] {127, 0, 0, 1}, 0, 4);
        check(LIBC.bind(fd, addr, 16), "bind 127.0.0.1:0");
        check(LIBC.listen(fd, 16), "listen");
        return place(fd, target);
    }

    /** An AF_VSOCK listener on any CID, or -1 when this kernel has no vsock. */
    public static int vsockListener(int port, int target) throws IOException {
        int fd = LIBC.socket(AF_VSOCK, SOCK_STREAM, 0);
        if (fd < 0) {
            return -1;
        }
        Pointer addr = Memory.allocateDirect(RUNTIME, 16, true);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_VSOCK).putShort((short) 0).putInt(port).putInt(-1);
        addr.put(0, b.array(), 0, 16);
        if (LIBC.bind(fd, addr, 16) < 0 || LIBC.listen(fd, 4) < 0) {
            LIBC.close(fd);
            return -1;
        }
        return place(fd, target);
    }
}
