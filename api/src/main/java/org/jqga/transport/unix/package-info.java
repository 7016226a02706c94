/**
 * The built-in AF_UNIX transport: bind a path (born with the requested mode), adopt an inherited listener or
 * connection, accept and serve it through {@link org.jqga.api.posix.Posix}, peers by {@code SO_PEERCRED}.
 */
package org.jqga.transport.unix;
