package org.grouprelay.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.grouprelay.change.ChangeRefused;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.GroupChange;
import org.grouprelay.targets.Target;

/**
 * Strict mode: Seafile is written first, in open transactions, before the directory applies the
 * operation; the transactions commit only once the directory has committed, and roll back if it
 * refused. If Seafile cannot take the change within the deadline, the operation is refused with
 * 52 (unavailable) or, for a permanent error, 53 (unwilling to perform), and neither side changes.
 */
final class StrictMode {
    /** A change set applied in an open session, waiting for the directory's verdict. */
    record Prepared(Target.Session session, List<List<Applier.Applied>> outcomes) {
    }

    private final Target target;
    private final String label;
    private final Applier applier;
    private final RelayAudit audit;
    private final Duration deadline;
    private final ExecutorService attempts;
    private final java.util.function.Predicate<String> queued;

    /**
     * {@code label} names the target in refusals, e.g. {@code Seafile}; {@code queued} says whether a group (by
     * entryUUID) still has changes in the outbox.
     */
    StrictMode(Target target, String label, Applier applier, RelayAudit audit, Duration deadline, ExecutorService attempts,
            java.util.function.Predicate<String> queued) {
        this.target = target;
        this.label = label;
        this.applier = applier;
        this.audit = audit;
        this.deadline = deadline;
        this.attempts = attempts;
        this.queued = queued;
    }

    /**
     * Applies the set to Seafile in an open session, or refuses it: 52 (unavailable) or 53 (unwilling to perform).
     * A change whose group still has queued changes (a commit that failed after the directory committed, say) is
     * refused too: applied ahead of the outbox, it would be undone by the older change applied after it.
     */
    Prepared prepare(ChangeSet set) throws ChangeRefused {
        for (GroupChange change : set.changes()) {
            if (queued.test(change.group().uuid())) {
                String reason = "earlier changes of " + change.group().name() + " are still queued for " + label;
                audit.refused(set, reason);
                throw new ChangeRefused(ChangeRefused.Reason.UNAVAILABLE, "grouprelay (strict mode): " + reason
                        + "; nothing was changed, try again in a moment");
            }
        }
        long budgetEnds = System.nanoTime() + deadline.toNanos();
        Object result;
        do {
            // a pooled connection broken by a database restart fails once: try again while time is left
            result = prepareOnce(set, budgetEnds);
        } while (result instanceof Throwable failure && Applier.isTransient(failure) && !(failure instanceof TimeoutException)
                && budgetEnds - System.nanoTime() > deadline.toNanos() / 2);
        if (result instanceof Prepared prepared) {
            return prepared;
        }
        Throwable failure = (Throwable) result;
        audit.refused(set, failure instanceof TimeoutException ? "no answer within " + deadline.toMillis() + " ms" : failure.getMessage());
        if (failure instanceof TimeoutException) {
            throw new ChangeRefused(ChangeRefused.Reason.UNAVAILABLE,
                    "grouprelay (strict mode): " + label + " did not answer within " + deadline.toMillis() + " ms; nothing was changed");
        }
        String message = "grouprelay (strict mode): " + label + " refused the change (" + failure.getMessage() + "); nothing was changed";
        throw new ChangeRefused(Applier.isTransient(failure) ? ChangeRefused.Reason.UNAVAILABLE : ChangeRefused.Reason.REFUSED, message);
    }

    /** Applies the whole set in one open session; returns the {@link Prepared} session or the failure. */
    private Object prepareOnce(ChangeSet set, long budgetEnds) {
        long started = System.nanoTime();
        Target.Session session = target.begin();
        CompletableFuture<List<List<Applier.Applied>>> work = CompletableFuture.supplyAsync(() -> {
            List<List<Applier.Applied>> outcomes = new ArrayList<>();
            for (GroupChange change : set.changes()) {
                try {
                    outcomes.add(applier.apply(change, session));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }
            return outcomes;
        }, attempts);
        try {
            List<List<Applier.Applied>> outcomes = work.get(Math.max(0, budgetEnds - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (int i = 0; i < set.changes().size(); i++) {
                audit.outcomes(set.origin(), set.changes().get(i), outcomes.get(i), null, Duration.ofNanos(System.nanoTime() - started));
            }
            return new Prepared(session, outcomes);
        } catch (TimeoutException e) {
            work.whenComplete((r, x) -> session.rollback());
            audit.targetError(e);
            return e;
        } catch (ExecutionException e) {
            session.rollback();
            audit.targetError(e.getCause());
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.rollback();
            return e;
        }
    }

    /** The directory refused after all: roll Seafile back. */
    void abort(ChangeSet set, Prepared done) {
        done.session().rollback();
        audit.refused(set, "the directory refused the operation; " + label + " changes rolled back");
    }
}
