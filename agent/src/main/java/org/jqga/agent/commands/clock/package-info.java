/** guest-set-time: the system clock through {@code settimeofday}, the hardware clock through hwclock. */
package org.jqga.agent.commands.clock;
