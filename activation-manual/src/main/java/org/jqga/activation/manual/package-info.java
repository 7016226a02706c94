/**
 * Activation by explicit configuration: qemu-ga's {@code --method}/{@code --path}. The provider binds the
 * endpoint itself (so it owns it and removes its socket file on exit). It is asked last: a supervisor's fds win.
 */
package org.jqga.activation.manual;
