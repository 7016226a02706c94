package org.jqga.agent.commands.hardware;

import com.google.gson.annotations.SerializedName;
import java.util.List;

/** {@code guest-set-memory-blocks}. */
public record SetMemoryBlocksArguments(@SerializedName("mem-blks") List<MemoryBlockRequest> memBlks) {
}
