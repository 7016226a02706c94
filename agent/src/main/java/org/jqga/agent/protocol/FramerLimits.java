package org.jqga.agent.protocol;

/**
 * Per-message limits. qemu-ga's values are the defaults: 64 MiB of token bytes (so a 48 MiB base64
 * {@code guest-file-write} fits), 2 Mi tokens and a nesting depth of 1024.
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
