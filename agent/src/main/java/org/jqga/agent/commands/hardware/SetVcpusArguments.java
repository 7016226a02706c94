package org.jqga.agent.commands.hardware;

import java.util.List;

/** {@code guest-set-vcpus}. */
public record SetVcpusArguments(List<LogicalProcessorRequest> vcpus) {
}
