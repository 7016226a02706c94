package org.jqga.agent.commands.power;

/**
 * What each suspend mode is called by each of qemu-ga's strategies: the systemd unit and verb, the pm-utils
 * option and program, and the word for {@code /sys/power/state} (none for hybrid).
 */
enum SuspendMode {
    DISK("systemd-hibernate", "hibernate", "--hibernate", "pm-hibernate", "disk"),
    RAM("systemd-suspend", "suspend", "--suspend", "pm-suspend", "mem"),
    HYBRID("systemd-hybrid-sleep", "hybrid-sleep", "--suspend-hybrid", "pm-suspend-hybrid", null);

    final String systemdUnit;
    final String systemctlVerb;
    final String pmIsSupportedOption;
    final String pmProgram;
    final String sysPowerState;

    SuspendMode(String systemdUnit, String systemctlVerb, String pmIsSupportedOption, String pmProgram,
                String sysPowerState) {
        this.systemdUnit = systemdUnit;
        this.systemctlVerb = systemctlVerb;
        this.pmIsSupportedOption = pmIsSupportedOption;
        this.pmProgram = pmProgram;
        this.sysPowerState = sysPowerState;
    }
}
