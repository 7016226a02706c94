package org.jqga.agent.protocol;

/**
 * Per-message limits. qemu-ga's values are the defaults: 64 MiB of token bytes, 2 Mi tokens and a nesting depth of
 * 1024. The largest {@code guest-file-write} under 64 MiB carries 48 MiB - 54 bytes (50,331,594 bytes with compact
 * JSON and a handle below 10 digits): the base64 of 48 MiB is 64 MiB before the JSON around it, over the limit here
 * and in qemu-ga ({@code MessageBudgetTest}). The largest {@code guest-file-read}, 48 MiB, is qemu-ga's count limit
 * and concerns the reply, which no framer limit applies to.
 */
public record FramerLimits(long maxMessageBytes, int maxTokens, int maxDepth) {
    public static final FramerLimits QEMU = new FramerLimits(64L << 20, 2 << 20, 1024);

    public FramerLimits {
        if (maxMessageBytes < 2 || maxTokens < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxMessageBytes + ", " + maxTokens
                    + ", " + maxDepth);
        }
    }
}
