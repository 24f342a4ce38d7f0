package org.grouprelay.targets;

import java.time.Duration;
import java.util.Optional;

/**
 * A target call failed. {@link #isTransient()} says whether retrying may succeed (connection lost,
 * timeout, deadlock, HTTP 429/5xx) or not (constraint violation, bad data, HTTP 4xx).
 */
public final class TargetException extends Exception {
    private final boolean transientFailure;
    private final Optional<Duration> retryAfter;

    public TargetException(String message, boolean transientFailure, Throwable cause) {
        this(message, transientFailure, cause, Optional.empty());
    }

    /** {@code retryAfter}: how long the target asked us to wait before the next try (HTTP 429's Retry-After). */
    public TargetException(String message, boolean transientFailure, Throwable cause, Optional<Duration> retryAfter) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    /** The wait the target asked for, if it asked; the relay never retries sooner. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
