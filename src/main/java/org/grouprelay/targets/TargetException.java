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
    private final boolean deadlockVictim;

    public TargetException(String message, boolean transientFailure, Throwable cause) {
        this(message, transientFailure, cause, Optional.empty());
    }

    /** {@code retryAfter}: how long the target asked us to wait before the next try (HTTP 429's Retry-After). */
    public TargetException(String message, boolean transientFailure, Throwable cause, Optional<Duration> retryAfter) {
        this(message, transientFailure, cause, retryAfter, false);
    }

    private TargetException(String message, boolean transientFailure, Throwable cause, Optional<Duration> retryAfter,
            boolean deadlockVictim) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
        this.deadlockVictim = deadlockVictim;
    }

    /**
     * The target rolled the whole transaction back to break a deadlock with a concurrent one (InnoDB's error 1213): the
     * same work may run again at once, and usually succeeds, since the other transaction went on.
     */
    public static TargetException deadlock(String message, Throwable cause) {
        return new TargetException(message, true, cause, Optional.empty(), true);
    }

    /** Whether this is {@link #deadlock}: run the transaction again now rather than after a backoff. */
    public boolean isDeadlockVictim() {
        return deadlockVictim;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    /** The wait the target asked for, if it asked; the relay never retries sooner. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
