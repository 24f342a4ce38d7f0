package org.grouprelay.cli;

/** A command line that cannot work as given (exit code 2): its message says, in one line, what to run instead. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
