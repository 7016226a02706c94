/**
 * The built-in AF_INET/AF_INET6 transport: TCP sockets a supervisor passed (systemd {@code ListenStream=IP:PORT},
 * listening or {@code Accept=yes}; inetd {@code wait}/{@code nowait} on fd 0), on the JDK and {@link
 * org.jqga.api.posix.Posix} alone.
 *
 * <p>The JDK cannot wrap an inherited descriptor number (other than fd 0) into a {@code ServerSocketChannel}, so the
 * descriptor is used through {@code Posix} ({@link org.jqga.transport.socket}): {@code poll} +
 * {@code accept4(SOCK_CLOEXEC)} on the listener, blocking {@code read}/{@code write} on a connection,
 * {@code shutdown(SHUT_RD)} for a graceful stop. The listener is the
 * supervisor's and is never shut down or altered; closing an endpoint releases only our descriptor. Peers are
 * their address ({@code 127.0.0.1:54321}, {@code [::1]:54321}), with no credentials, so the peer access lists do
 * not apply. Binding is not offered (qemu-ga has no TCP method).
 */
package org.jqga.transport.inet;
