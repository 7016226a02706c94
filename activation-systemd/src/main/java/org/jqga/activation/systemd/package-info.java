/**
 * systemd socket activation without libsystemd: the LISTEN_FDS / LISTEN_PID / LISTEN_FDNAMES ABI (Accept=no
 * listeners and Accept=yes connections), sd_notify over NOTIFY_SOCKET (READY, STATUS, STOPPING, RELOADING,
 * WATCHDOG, FDSTORE), the watchdog pinger and idle exit. Not implemented yet: see the systemd activation issue.
 */
package org.jqga.activation.systemd;
