package org.grouprelay.cli;

/** A failure whose message already says, in one line, what went wrong and what to check. */
public final class OperatorException extends RuntimeException {
    public OperatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
