package org.grouprelay.testing;

import java.time.Duration;

/** Waiting for a condition, never for a fixed time: polls every 50 ms and fails with what was awaited. */
public final class Waits {
    private Waits() {
    }

    /** A condition that may throw while it is not yet true (an assertion, a lookup). */
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns as soon as {@code condition} holds; fails after {@code bound} (a bound for a busy machine, not a timing). */
    public static void until(Duration bound, Condition condition) throws Exception {
        long end = System.nanoTime() + bound.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (AssertionError | Exception e) {
                last = e;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + bound.toSeconds() + " s" + (last == null ? "" : ": " + last), last);
            }
            Thread.sleep(50);
        }
    }
}
