/**
 * qemu-ga's command line (getopt_long rules and messages) and configuration file (GLib key file, group
 * {@code [general]}, found through {@code -c}, {@code $QGA_CONF} or {@code /etc/qemu/qemu-ga.conf}), resolved with
 * qemu-ga's precedence into {@link org.jqga.agent.cli.AgentOptions}; {@code --dump-conf}; and jqga's own options,
 * which have config-file keys too. Entry point: {@link org.jqga.agent.cli.Configuration#resolve}.
 */
package org.jqga.agent.cli;
