/** Processors: guest-get-vcpus and guest-get-cpustats. */
package org.jqga.agent.commands.cpu;
