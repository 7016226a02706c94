/**
 * What callers of the activation framework use: {@link org.jqga.api.Activations} chooses how the daemon's
 * endpoints were handed over (systemd, inetd, an explicit bind ...), and the result is an
 * {@link org.jqga.api.Activation}: endpoints to serve and a {@link org.jqga.api.ServiceNotifier} to report to.
 *
 * <p>Nothing here knows about the QEMU guest agent; any Java daemon can use it.
 */
package org.jqga.api;
