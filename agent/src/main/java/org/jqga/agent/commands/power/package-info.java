/**
 * guest-shutdown and guest-suspend-disk/-ram/-hybrid: commands without a success response, which run what qemu-ga
 * runs (after checking that the guest supports it) and answer only when that fails.
 */
package org.jqga.agent.commands.power;
