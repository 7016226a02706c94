package org.jqga.transport.vsock;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import org.newsclub.net.unix.AFServerSocket;
import org.newsclub.net.unix.AFServerSocketChannel;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketChannel;
import org.newsclub.net.unix.AFSocketFactory;
import org.newsclub.net.unix.AFSocketImpl;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * AF_VSOCK sockets on junixsocket's generic socket machinery. junixsocket-common ships the AF_VSOCK address
 * ({@link AFVSOCKSocketAddress}) and the native code; the thin socket classes live in junixsocket-vsock, which
 * the registry reachable from this project does not serve. These are the same few lines: each class only tells
 * junixsocket's abstract socket which address family and implementation to use.
 *
 * <p>Channels exist because junixsocket's constructors create one; they carry no selector provider, and this
 * transport never uses selectors (accept and read block).
 */
final class VsockSockets {
    private VsockSockets() {
    }

    /** The implementation: junixsocket's native socket calls, for the AF_VSOCK family. */
    static final class Impl extends AFSocketImpl<AFVSOCKSocketAddress> {
        Impl(FileDescriptor fd) {
            super(AFVSOCKSocketAddress.addressFamily(), fd);
        }
    }

    /** A connected AF_VSOCK stream socket. */
    static final class Socket extends AFSocket<AFVSOCKSocketAddress> {
        Socket(FileDescriptor fd, AFSocketFactory<AFVSOCKSocketAddress> factory) throws SocketException {
            super(new Impl(fd), factory);
        }

        static Socket newInstance() throws SocketException {
            return (Socket) AFSocket.newInstance(Socket::new, null);
        }

        @Override
        protected AFSocketChannel<AFVSOCKSocketAddress> newChannel() {
            return new SocketChannel(this);
        }
    }

    /** A listening AF_VSOCK stream socket. */
    static final class ServerSocket extends AFServerSocket<AFVSOCKSocketAddress> {
        ServerSocket(FileDescriptor fd) throws IOException {
            super(fd);
        }

        /** A new, unbound socket. */
        static ServerSocket newInstance() throws IOException {
            return (ServerSocket) AFServerSocket.newInstance(ServerSocket::new);
        }

        /** Wraps an inherited listening fd. */
        static ServerSocket adopt(FileDescriptor fd) throws IOException {
            return (ServerSocket) AFServerSocket.newInstance(ServerSocket::new, fd, 0, 0);
        }

        @Override
        protected AFServerSocketChannel<AFVSOCKSocketAddress> newChannel() {
            return new ServerSocketChannel(this);
        }

        @Override
        protected AFSocketImpl<AFVSOCKSocketAddress> newImpl(FileDescriptor fd) {
            return new Impl(fd);
        }

        @Override
        protected AFSocket<AFVSOCKSocketAddress> newSocketInstance() throws IOException {
            return Socket.newInstance();
        }

        @Override
        public Socket accept() throws IOException {
            return (Socket) super.accept();
        }
    }

    private static final class SocketChannel extends AFSocketChannel<AFVSOCKSocketAddress> {
        SocketChannel(Socket socket) {
            super(socket, null);
        }
    }

    private static final class ServerSocketChannel extends AFServerSocketChannel<AFVSOCKSocketAddress> {
        ServerSocketChannel(ServerSocket socket) {
            super(socket, null);
        }
    }
}
