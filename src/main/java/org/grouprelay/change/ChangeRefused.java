package org.grouprelay.change;

/**
 * A change set a target cannot take now ({@link Reason#UNAVAILABLE}: try again later) or at all
 * ({@link Reason#REFUSED}); the operation that caused it is refused and nothing is changed.
 */
public final class ChangeRefused extends Exception {
    public enum Reason { UNAVAILABLE, REFUSED }

    private final Reason reason;

    public ChangeRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
