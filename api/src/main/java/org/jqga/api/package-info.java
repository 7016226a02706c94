/**
 * What callers of the activation framework use: {@link org.jqga.api.Activations} chooses how the daemon's
 * endpoints were handed over (systemd, inetd, an explicit bind ...), and the result is an
 * {@link org.jqga.api.Activation}: endpoints to serve and a {@link org.jqga.api.ServiceNotifier} to report to.
 *
 * <p>Nothing here knows about the QEMU guest agent; any Java daemon can use it. A daemon that serves sockets with its
 * own code starts at {@link org.jqga.api.InheritedSockets}: the same providers prove the fds, and each comes as an
 * {@link org.jqga.api.InheritedSocket} with its name and a standard channel (examples/activated-echo is the guide).
 */
package org.jqga.api;
