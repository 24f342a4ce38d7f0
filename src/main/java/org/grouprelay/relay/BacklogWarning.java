package org.grouprelay.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A log line every 10 s while changes older than the deadline wait in the outbox (a target that does not take them). */
final class BacklogWarning {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final Duration EVERY = Duration.ofSeconds(10);

    private final String name;
    private final String label;
    private final Outbox outbox;
    private final Duration deadline;
    private final Clock clock;
    private Instant last = Instant.MIN;

    BacklogWarning(String name, String label, Outbox outbox, Duration deadline, Clock clock) {
        this.name = name;
        this.label = label;
        this.outbox = outbox;
        this.deadline = deadline;
        this.clock = clock;
    }

    /** Called by the outbox worker only. */
    void warnIfOld() {
        int depth = outbox.depth();
        Instant now = clock.instant();
        Duration age = outbox.oldest().map(o -> Duration.between(o, now)).orElse(Duration.ZERO);
        // changes younger than the deadline are still being applied while a client waits: not a backlog
        if (depth > 0 && age.compareTo(deadline) > 0 && Duration.between(last, now).compareTo(EVERY) >= 0) {
            last = now;
            log.warn("{}: outbox: {} change(s) waiting for {}, oldest {} s old", name, depth, label, age.toSeconds());
        }
    }
}
