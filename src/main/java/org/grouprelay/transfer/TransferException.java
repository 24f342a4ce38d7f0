package org.grouprelay.transfer;

/** An export or import that cannot go on; the message says in one line what is wrong and what to do. */
public final class TransferException extends RuntimeException {
    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
