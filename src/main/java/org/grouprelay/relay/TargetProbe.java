package org.grouprelay.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.grouprelay.targets.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While every waiting group sits out a backoff (up to a minute after a long outage), the target is asked every 2 s
 * whether it answers (one cheap request, on an apply thread); when it answers again after not answering, every group
 * goes at once ({@code onAnswer}) instead of at its own next retry.
 */
final class TargetProbe implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final Duration EVERY = Duration.ofSeconds(2);

    private final String name;
    private final String label;
    private final Target target;
    private final Outbox outbox;
    private final Executor executor;
    private final Clock clock;
    private final Runnable onAnswer;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Instant lastProbe = Instant.MIN;
    /** What the last probe found; a change from false to true wakes every group. */
    private volatile boolean answered;

    TargetProbe(String name, String label, Target target, Outbox outbox, Executor executor, Clock clock, Runnable onAnswer) {
        this.name = name;
        this.label = label;
        this.target = target;
        this.outbox = outbox;
        this.executor = executor;
        this.clock = clock;
        this.onAnswer = onAnswer;
    }

    /** Probes if every group backs off, the next retry is more than 2 s away and the last probe 2 s ago. */
    @Override
    public void run() {
        Instant now = clock.instant();
        Optional<Instant> nextRetry = outbox.allBackingOff();
        if (nextRetry.isEmpty() || !nextRetry.get().isAfter(now.plus(EVERY)) || Duration.between(lastProbe, now).compareTo(EVERY) < 0
                || !probing.compareAndSet(false, true)) {
            return;
        }
        lastProbe = now;
        try {
            executor.execute(this::probe);
        } catch (RejectedExecutionException e) {
            probing.set(false); // shutting down
        }
    }

    private void probe() {
        try {
            target.probe();
            if (!answered) {
                answered = true;
                log.info("{}: {} answers again; the queued changes go now", name, label);
                onAnswer.run();
            }
        } catch (Exception e) {
            answered = false;
        } finally {
            probing.set(false);
        }
    }
}
