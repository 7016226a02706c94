/**
 * Stream sockets on a bare descriptor number, shared by the AF_UNIX and inet transports: a listener accepted with
 * {@code accept4(SOCK_CLOEXEC)}, a connection read and written with {@code read}/{@code write}, and the guard that
 * releases a number only when no thread is still using it.
 */
package org.jqga.transport.socket;
