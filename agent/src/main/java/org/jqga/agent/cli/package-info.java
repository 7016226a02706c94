/**
 * qemu-ga's command line (getopt_long rules: short clusters, attached or separate arguments, unique prefixes of
 * long options) and jqga's own options.
 */
package org.jqga.agent.cli;
