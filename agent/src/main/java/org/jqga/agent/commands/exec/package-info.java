/**
 * guest-exec and guest-exec-status. Children are started with posix_spawn: argv[0] as the client gave it, the
 * program searched in the PATH of the client's environment (else the agent's), no agent descriptor beyond 0-2, no
 * LISTEN_* / NOTIFY_SOCKET / WATCHDOG_* variables when the environment is inherited, an empty signal mask and SIGPIPE
 * at its default. A waiter thread reaps each child as soon as it ends; the status is kept until it has been reported
 * once. Differences from qemu-ga: an unknown pid is reported as {@code PID <n> does not exist} (qemu-ga's format
 * string slip prints the literal {@code PID ld}); client-given environment entries are passed through as they are.
 */
package org.jqga.agent.commands.exec;
