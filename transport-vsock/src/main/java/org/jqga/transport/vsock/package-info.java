/**
 * AF_VSOCK endpoints on junixsocket: bind {@code CID:PORT}, adopt an inherited vsock fd, accept, peer CID.
 * Not implemented yet: see the transports issue.
 */
package org.jqga.transport.vsock;
