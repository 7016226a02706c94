package org.jqga.agent.commands.hardware;

import com.google.gson.annotations.SerializedName;
import org.jqga.agent.dispatch.OptionalArg;

/** One {@code GuestLogicalProcessor} of {@code guest-set-vcpus}; {@code can-offline} is accepted and ignored. */
public record LogicalProcessorRequest(@SerializedName("logical-id") long logicalId, boolean online,
                                      @OptionalArg @SerializedName("can-offline") Boolean canOffline) {
}
