package org.jqga.agent.dispatch;

import java.io.IOException;

/**
 * A {@link Base64Payload} could not produce the bytes its reply announced (a file shrank while being streamed):
 * part of the reply is already on the wire and the rest cannot be made right, so the session ends its connection
 * instead of sending wrong JSON. The message says what was promised and what was delivered.
 */
public final class IncompleteReplyException extends IOException {
    public IncompleteReplyException(String message) {
        super(message);
    }
}
