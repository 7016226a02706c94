/**
 * The built-in AF_UNIX transport: bind a path (born with the requested mode) and serve it through {@link
 * org.jqga.api.posix.Posix}; adopt an inherited listener or connection through junixsocket; peers by
 * {@code SO_PEERCRED}.
 */
package org.jqga.transport.unix;
