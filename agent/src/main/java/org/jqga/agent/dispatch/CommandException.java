package org.jqga.agent.dispatch;

/** A command failed; the message goes to the client as the error's {@code desc}. */
public class CommandException extends Exception {
    private final ErrorClass errorClass;

    public CommandException(String desc) {
        this(ErrorClass.GenericError, desc);
    }

    public CommandException(ErrorClass errorClass, String desc) {
        super(desc);
        this.errorClass = errorClass;
    }

    public CommandException(String desc, Throwable cause) {
        super(desc, cause);
        this.errorClass = ErrorClass.GenericError;
    }

    public ErrorClass errorClass() {
        return errorClass;
    }
}
