/**
 * How the agent reads Linux facts: files under a {@link org.jqga.agent.linux.SystemRoot} (so unit tests read
 * fixture trees instead of the host's {@code /proc}, {@code /sys} and {@code /etc}), errors that carry qemu-ga's
 * errno text, glibc's {@code inet_ntop} text, the mount table, and the little of udev that qemu-ga consults.
 */
package org.jqga.agent.linux;
