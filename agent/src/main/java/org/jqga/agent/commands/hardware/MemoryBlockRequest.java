package org.jqga.agent.commands.hardware;

import com.google.gson.annotations.SerializedName;
import org.jqga.agent.dispatch.OptionalArg;
import org.jqga.agent.dispatch.Uint64;

/** One {@code GuestMemoryBlock} of {@code guest-set-memory-blocks}; {@code can-offline} is accepted and ignored. */
public record MemoryBlockRequest(@Uint64 @SerializedName("phys-index") long physIndex, boolean online,
                                 @OptionalArg @SerializedName("can-offline") Boolean canOffline) {
}
