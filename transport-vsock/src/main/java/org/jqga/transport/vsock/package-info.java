/**
 * AF_VSOCK endpoints on junixsocket: bind {@code CID:PORT} (qemu-ga's {@code --method=vsock-listen} syntax, with
 * {@code -1} or {@code 4294967295} as any CID), adopt an inherited vsock fd (systemd {@code ListenStream=vsock::PORT}),
 * accept, and the peer's CID and port as the {@link org.jqga.api.Peer}.
 *
 * <p>junixsocket-common carries the AF_VSOCK address class and the native code; the socket classes of
 * junixsocket-vsock are not available from the registry this project builds against, so {@code VsockSockets}
 * supplies the equivalent thin subclasses of junixsocket's abstract sockets.
 */
package org.jqga.transport.vsock;
