/**
 * Activation by explicit configuration: qemu-ga's {@code --method}/{@code --path}. The provider binds or opens
 * the endpoint itself (so it owns it and removes its socket file on exit). It is asked last: a supervisor's fds win.
 *
 * <p>{@code unix-listen} and {@code vsock-listen} go through the installed {@link org.jqga.api.spi.Transport}s (a
 * missing vsock transport is named in the error). {@code virtio-serial} and {@code isa-serial} are character
 * devices served by {@code CharDeviceEndpoint}: one session per host connection, hang-ups survived, the device
 * opened at start-up (or, with {@code --retry-path}, whenever it appears).
 */
package org.jqga.activation.manual;
