/**
 * guest-set-vcpus and guest-set-memory-blocks: online/offline through {@code /sys/devices/system/cpu} and
 * {@code /sys/devices/system/memory}, with qemu-ga's per-item results. (The get-side commands live with the
 * read-only commands.)
 */
package org.jqga.agent.commands.hardware;
