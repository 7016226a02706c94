/**
 * Activation through fd 0: a connected socket (inetd nowait, systemd StandardInput=socket, UCSPI servers such
 * as s6-ipcserver, socat) or a listening one (inetd wait, s6-ipcserver-socketbinder), UCSPI environment as peer
 * information, and s6 readiness notification. Not implemented yet: see the inetd/UCSPI/s6 issue.
 */
package org.jqga.activation.inetd;
