/**
 * Activation through fd 0 ({@link org.jqga.activation.inetd.InetdActivationProvider}, {@code --activation=inetd}):
 * <ul>
 * <li>a connected stream socket (inetd nowait, systemd {@code StandardInput=socket}, {@code
 * systemd-socket-activate --inetd -a}, UCSPI servers such as s6-ipcserver and unixserver, socat with
 * {@code nofork}) is one client: its session is served, then the agent exits;</li>
 * <li>a listening stream socket (inetd wait, s6-ipcserver-socketbinder, {@code systemd-socket-activate --inetd})
 * is accepted on; the supervisor owns it, so it is never shut down or unlinked;</li>
 * <li>pipes, a socketpair (socat's default EXEC) or a file are served only with {@code --method=stdio} or
 * {@code --activation=inetd}: reads from fd 0, writes to fd 1 (a socket on fd 0 is used both ways). A terminal is
 * never a client.</li>
 * </ul>
 * The decision is a side-effect-free {@code Plan} that {@code activate} and {@code explain} share. fd 1 and fd 2
 * that are the same socket as fd 0 are pointed at /dev/null. The supervisor's variables ({@code PROTO},
 * {@code ${PROTO}REMOTE*}, {@code REMOTE_ADDR/PORT}, {@code SOCAT_PEER*}) are appended to the kernel's peer in
 * logs, never trusted for decisions. s6 readiness ({@code --ready-fd}) lives in the api module
 * ({@code ReadyFdNotifier}) because it applies whichever provider activates.
 */
package org.jqga.activation.inetd;
