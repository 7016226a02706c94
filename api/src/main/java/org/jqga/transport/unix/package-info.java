/** The built-in AF_UNIX transport, on junixsocket: bind a path, adopt an inherited fd, accept, peer credentials. */
package org.jqga.transport.unix;
