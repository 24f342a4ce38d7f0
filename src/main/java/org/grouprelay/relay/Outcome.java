package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What happened to a relayed change, or to one user in it: the audit log's {@code outcome} and the metrics' label. */
public enum Outcome {
    /** In the target. */
    APPLIED("applied"),
    /** Waits for the user's first login to the target. */
    PENDING("pending"),
    /** Nothing to do in the target (no account, not linked, the group's owner kept). */
    IGNORED("ignored"),
    /** In the outbox: the target did not take it in time; it is retried. */
    QUEUED("queued"),
    /** In the outbox after more than one failed attempt. */
    RETRYING("retrying"),
    /** The target refused it for good; the check reports it. */
    FAILED("failed"),
    /** Strict mode refused the LDAP operation; nothing changed. */
    REFUSED("refused");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** Whether an operator should look at it: the change is not (yet) in the target. */
    public boolean isProblem() {
        return this == QUEUED || this == RETRYING || this == FAILED || this == REFUSED;
    }

    /** The outcome an audit line's text names ({@code retrying (2)} is {@link #RETRYING}). */
    public static Optional<Outcome> of(String text) {
        return Arrays.stream(values()).filter(o -> text.equals(o.label) || text.startsWith(o.label + " (")).findFirst();
    }
}
