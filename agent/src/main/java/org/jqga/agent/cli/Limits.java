package org.jqga.agent.cli;

/**
 * What one agent lets its clients consume. Each limit, when reached, gives the client an error response (or,
 * for captured output, a truncated stream marked as such) instead of letting the agent run out of memory or
 * descriptors. The defaults keep qemu-ga's protocol limits (a 64 MiB request, nesting 1024, 16 MiB per captured
 * stream) and bound what qemu-ga leaves unbounded. SECURITY.md explains the memory each one stands for.
 *
 * @param maxMessageBytes   the largest request, in bytes of JSON tokens ({@code --max-message-size})
 * @param maxNesting        the deepest nesting of arrays and objects in a request ({@code --max-nesting})
 * @param maxFileHandles    guest-file-open handles open at once, over all clients ({@code --max-file-handles})
 * @param maxSessions       client connections served at once ({@code --max-sessions})
 * @param maxExecProcesses  guest-exec children running or not yet collected by guest-exec-status
 *                          ({@code --max-exec-processes})
 * @param maxExecOutput     bytes of captured guest-exec output the agent holds at once, over all children
 *                          ({@code --max-exec-output}); each stream also stops at qemu-ga's 16 MiB
 */
public record Limits(long maxMessageBytes, int maxNesting, int maxFileHandles, int maxSessions,
                     int maxExecProcesses, long maxExecOutput) {
    /** qemu-ga's limit on one captured stream. */
    public static final int QEMU_STREAM_CAPTURE = 16 * 1024 * 1024;

    public static final Limits DEFAULTS = new Limits(64L << 20, 1024, 256, 16, 64, 64L << 20);

    public Limits {
        if (maxMessageBytes < 2 || maxNesting < 1 || maxFileHandles < 1 || maxSessions < 1 || maxExecProcesses < 1
                || maxExecOutput < 0) {
            throw new IllegalArgumentException("limits out of range: " + this);
        }
    }

    Limits withMaxMessageBytes(long v) {
        return new Limits(v, maxNesting, maxFileHandles, maxSessions, maxExecProcesses, maxExecOutput);
    }

    Limits withMaxNesting(int v) {
        return new Limits(maxMessageBytes, v, maxFileHandles, maxSessions, maxExecProcesses, maxExecOutput);
    }

    Limits withMaxFileHandles(int v) {
        return new Limits(maxMessageBytes, maxNesting, v, maxSessions, maxExecProcesses, maxExecOutput);
    }

    Limits withMaxSessions(int v) {
        return new Limits(maxMessageBytes, maxNesting, maxFileHandles, v, maxExecProcesses, maxExecOutput);
    }

    Limits withMaxExecProcesses(int v) {
        return new Limits(maxMessageBytes, maxNesting, maxFileHandles, maxSessions, v, maxExecOutput);
    }

    Limits withMaxExecOutput(long v) {
        return new Limits(maxMessageBytes, maxNesting, maxFileHandles, maxSessions, maxExecProcesses, v);
    }
}
