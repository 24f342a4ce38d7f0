package org.grouprelay.testing.mas;

import java.util.Optional;

/** The failures {@link FakeMas#failNext} asked for: the next admin requests answered with a status. */
final class InjectedFailures {
    private int remaining;
    private int status;

    synchronized void failNext(int count, int status) {
        if (count < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("count >= 0 and an error status expected: " + count + ", " + status);
        }
        this.remaining = count;
        this.status = status;
    }

    /** The status for the request at hand, counting it, or empty once the planned ones are used. */
    synchronized Optional<Integer> take() {
        if (remaining == 0) {
            return Optional.empty();
        }
        remaining--;
        return Optional.of(status);
    }
}
