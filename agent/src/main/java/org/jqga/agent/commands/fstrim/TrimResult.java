package org.jqga.agent.commands.fstrim;

/**
 * {@code GuestFilesystemTrimResult}: either {@code trimmed} and {@code minimum} or {@code error} (null members are
 * left out of the response).
 */
record TrimResult(String path, Long trimmed, Long minimum, String error) {
    static TrimResult trimmed(String path, long trimmed, long minimum) {
        return new TrimResult(path, trimmed, minimum, null);
    }

    static TrimResult failed(String path, String error) {
        return new TrimResult(path, null, null, error);
    }
}
