/**
 * Native fd inspection: the questions the JDK cannot answer about an inherited descriptor (its file type,
 * {@code SO_TYPE}, {@code SO_ACCEPTCONN}, {@code SO_DOMAIN}, local address, {@code FD_CLOEXEC}), asked through
 * jnr-ffi so that no JNI library of our own has to be built or shipped. Addresses are rendered in systemd's
 * {@code ListenStream=} notation by {@link org.jqga.api.posix.SocketAddresses}, IP addresses as glibc's
 * {@code inet_ntop} writes them ({@link org.jqga.api.posix.InetText}: {@code [::1]:22}, not Java's
 * {@code [0:0:0:0:0:0:0:1]:22}).
 */
package org.jqga.api.posix;
