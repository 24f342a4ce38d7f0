package org.grouprelay.testing.scim;

import java.util.Optional;
import java.util.OptionalInt;

/** The failures {@link ScimServer#failNext} asked for: the next requests answered with a status. */
final class InjectedFaults {
    record Fault(int status, OptionalInt retryAfterSeconds) {
    }

    private int remaining;
    private Fault fault;

    synchronized void failNext(int count, int status, OptionalInt retryAfterSeconds) {
        if (count < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("count >= 0 and an error status expected: " + count + ", " + status);
        }
        remaining = count;
        fault = new Fault(status, retryAfterSeconds);
    }

    /** The fault for the request at hand, counting it, or empty once the planned ones are used. */
    synchronized Optional<Fault> take() {
        if (remaining == 0) {
            return Optional.empty();
        }
        remaining--;
        return Optional.of(fault);
    }
}
