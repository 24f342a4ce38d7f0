package org.grouprelay.targets;

/**
 * A target call failed. {@link #isTransient()} says whether retrying may succeed (connection lost,
 * timeout, deadlock, HTTP 429/5xx) or not (constraint violation, bad data, HTTP 4xx).
 */
public final class TargetException extends Exception {
    private final boolean transientFailure;

    public TargetException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
