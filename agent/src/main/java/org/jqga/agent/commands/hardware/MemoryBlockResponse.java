package org.jqga.agent.commands.hardware;

import com.google.gson.annotations.SerializedName;
import java.math.BigInteger;

/**
 * {@code GuestMemoryBlockResponse}: what happened to one requested block. {@code error-code} is the errno of the
 * failing step and is left out when there is none.
 */
record MemoryBlockResponse(@SerializedName("phys-index") Number physIndex, Type response,
                           @SerializedName("error-code") Integer errorCode) {
    /** {@code GuestMemoryBlockResponseType}. */
    enum Type {
        @SerializedName("success") SUCCESS,
        @SerializedName("not-found") NOT_FOUND,
        @SerializedName("operation-not-supported") OPERATION_NOT_SUPPORTED,
        @SerializedName("operation-failed") OPERATION_FAILED
    }

    static MemoryBlockResponse of(long physIndex, Type response, Integer errorCode) {
        // phys-index is a uint64: echo values above 2^63-1 unsigned, as they came in.
        Number index = physIndex >= 0 ? Long.valueOf(physIndex) : new BigInteger(Long.toUnsignedString(physIndex));
        return new MemoryBlockResponse(index, response, errorCode);
    }
}
