/**
 * systemd socket activation without libsystemd.
 *
 * <ul>
 * <li>{@link org.jqga.activation.systemd.SystemdActivationProvider}: the {@code LISTEN_PID}/{@code LISTEN_FDS}/
 *     {@code LISTEN_FDNAMES} ABI. Every passed fd is marked close-on-exec and proved (a stream socket of a family an
 *     installed transport handles, listening for {@code Accept=no} or connected for {@code Accept=yes}) before it
 *     is served: AF_UNIX and AF_INET/AF_INET6 ({@code ListenStream=127.0.0.1:PORT}, {@code [::1]:PORT}) are built
 *     into {@code api}, AF_VSOCK needs {@code transport-vsock}; all of them are served unless {@code --listen-name} selects some. The variables are removed from
 *     the C environment after reading, in every outcome.</li>
 * <li>{@link org.jqga.activation.systemd.SystemdNotifier}: {@code sd_notify} over {@code NOTIFY_SOCKET} (path or
 *     {@code @abstract}): READY, STATUS, STOPPING, RELOADING with MONOTONIC_USEC, WATCHDOG with a pinger at half of
 *     {@code WATCHDOG_USEC}, FDSTORE/FDSTOREREMOVE. Usable on its own by any Java daemon.</li>
 * </ul>
 *
 * <p>Idle exit ({@code --idle-exit}) is the agent's: it knows when no session and no child process is running. It
 * relies on what this provider reports: {@code ownsSockets() == false}, so systemd keeps listening while no agent
 * runs.
 *
 * <p>Deviation from qemu-ga: qemu-ga refuses {@code LISTEN_FDS > 1} and connected (Accept=yes) fds; this provider
 * serves them. Like qemu-ga, passed fds win over {@code --method}/{@code --path}, which is logged.
 */
package org.jqga.activation.systemd;
