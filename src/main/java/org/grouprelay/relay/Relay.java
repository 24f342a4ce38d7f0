package org.grouprelay.relay;

import org.grouprelay.config.RelayMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.grouprelay.change.ChangeRefused;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.ChangeSink;
import org.grouprelay.change.GroupChange;
import org.grouprelay.targets.TargetException;
import org.grouprelay.change.GroupReader;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed directory changes to one target without ever losing one (one relay per target).
 *
 * <p>Relay mode: each operation's changes are written to the durable outbox as an intent (fsynced)
 * before the directory writes them; they are applied on the relay's own threads, one change at a time
 * per group in commit order, while the LDAP reply waits for them (at most the deadline) and the
 * directory's write lock does not. If the target is slow or fails, the
 * change stays queued and the client still gets its answer; a background worker retries with
 * exponential backoff. Strict mode: the target is written (in open transactions) before the directory,
 * and the operation is refused with 52/53 if it cannot be.
 */
public final class Relay implements ChangeSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** Groups applied at the same time: as many as the SQL target has connections per database; more would only queue. */
    private static final int APPLY_THREADS = 4;
    /** Runs of one attempt whose target session was a deadlock's victim (see {@link #applyAndCommit}). */
    static final int DEADLOCK_RUNS = 3;

    private final String name;
    private final String label;
    private final Target target;
    private final Applier applier;
    private final RelayAudit audit;
    private final Outbox outbox;
    private final PendingMembers pending;
    private final Accounts accounts;
    private final RelayMode mode;
    private final Duration deadline;
    private final Clock clock;
    private final ExecutorService attempts = Executors.newFixedThreadPool(APPLY_THREADS, Daemons.named("grouprelay-apply"));
    private final ExecutorService strictAttempts = Executors.newCachedThreadPool(Daemons.named("grouprelay-strict"));
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(Daemons.named("grouprelay-outbox"));
    private final StrictMode strict;
    private volatile GroupReader directory;
    private final TargetProbe probe;
    private final PendingRetry pendingRetry;
    private final BacklogWarning backlog;

    /**
     * Relays to {@code target}, named {@code name} in audit lines, logs and meter labels and {@code label} in
     * LDAP diagnostics (e.g. {@code Seafile}); {@code stateDir} holds {@code outbox.jsonl} and {@code pending.jsonl}.
     */
    public Relay(String name, String label, Target target, AuditLog audit, Path stateDir, RelayMode mode, Duration deadline,
            Clock clock, MeterRegistry metrics) throws IOException {
        this.name = name;
        this.label = label;
        this.target = target;
        this.accounts = target.accounts();
        this.applier = new Applier(accounts, uuid -> directory().read(uuid));
        this.audit = new RelayAudit(name, audit, clock, metrics);
        this.outbox = new Outbox(stateDir.resolve(OutboxLine.FILE), clock, new ObjectMapper());
        this.pending = new PendingMembers(stateDir.resolve(PendingLine.FILE), new ObjectMapper());
        this.audit.gauges(outbox, pending);
        this.mode = mode;
        this.deadline = deadline;
        this.clock = clock;
        this.strict = new StrictMode(target, label, applier, this.audit, deadline, strictAttempts, outbox::hasQueued);
        this.probe = new TargetProbe(name, label, target, outbox, attempts, clock, () -> {
            outbox.wakeAll();
            drainSoon();
        });
        this.pendingRetry = new PendingRetry(name, accounts, pending, outbox, clock);
        this.backlog = new BacklogWarning(name, label, outbox, deadline, clock);
    }

    /**
     * Starts the background worker that drains the outbox; {@code directory} reads a group as the
     * directory holds it now (to settle changes a crash left open).
     */
    public Relay start(GroupReader directory) {
        this.directory = directory;
        target.attach(directory);
        worker.scheduleWithFixedDelay(this::drain, 0, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    private GroupReader directory() {
        GroupReader reader = directory;
        if (reader == null) {
            throw new IllegalStateException("the relay was not started with the directory");
        }
        return reader;
    }

    @Override
    public Intent prepare(ChangeSet all) throws ChangeRefused {
        // only the groups this target takes (an Entra target: the mapped ones)
        List<GroupChange> taken = all.changes().stream().filter(c -> target.relays(c.group())).toList();
        ChangeSet set = taken.size() == all.changes().size() ? all : new ChangeSet(all.origin(), taken, all.unresolved());
        if (set.changes().isEmpty()) {
            return new Intent() {
                @Override
                public CompletionStage<Void> committed() {
                    audit.unresolved(set);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void aborted() {
                }
            };
        }
        StrictMode.Prepared prepared = mode == RelayMode.STRICT ? strict.prepare(set) : null;
        Outbox.Intended intended = outbox.intend(set.origin(), set.changes());
        List<Outbox.Item> items = intended.items();
        return new Intent() {
            @Override
            public void awaitDurable() {
                intended.durable().join();
            }

            @Override
            public CompletionStage<Void> committed() {
                audit.unresolved(set);
                // strict mode commits the target while the intents still hold their groups, so no attempt races it
                if (prepared != null && commitPrepared(set, prepared, items)) {
                    return CompletableFuture.completedFuture(null);
                }
                outbox.commit(items);
                return applied(items);
            }

            @Override
            public void aborted() {
                outbox.abort(items);
                items.forEach(i -> {
                    i.settled.complete(null);
                    i.replyMayGo.complete(null);
                });
                if (prepared != null) {
                    strict.abort(set, prepared);
                }
            }
        };
    }

    /**
     * Starts applying {@code items} and returns when the reply may go: all applied, or the deadline
     * passed. A change behind a group's backlog (earlier changes that already failed) is not waited for.
     */
    private CompletionStage<Void> applied(List<Outbox.Item> items) {
        List<Outbox.Item> awaited = new ArrayList<>();
        for (Outbox.Item item : items) {
            int backlog = outbox.backlogAhead(item);
            if (backlog > 0) {
                outbox.markWaited(item);
                audit.queued(item, "behind " + backlog + " earlier change(s) of this group");
            } else {
                awaited.add(item);
            }
        }
        items.stream().map(Outbox.Item::group).distinct().forEach(this::dispatch);
        if (awaited.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // a failed first attempt is queued for a retry (and audited so): the reply goes then, not at the deadline
        return CompletableFuture.allOf(awaited.stream().map(i -> i.replyMayGo).toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, deadline.toNanos(), TimeUnit.NANOSECONDS)
                .thenRun(() -> awaited.stream().filter(i -> !i.replyMayGo.isDone()).forEach(i -> {
                    outbox.markWaited(i);
                    audit.queued(i, label + " did not answer within the deadline of " + deadline.toMillis() + " ms");
                }));
    }

    /**
     * Strict mode: the directory committed, so commit the target's transactions too. If that fails, the
     * changes stay queued and are applied like relay mode's (the reply waits for them up to the deadline).
     */
    private boolean commitPrepared(ChangeSet set, StrictMode.Prepared done, List<Outbox.Item> items) {
        try {
            done.session().commit();
            for (int i = 0; i < set.changes().size(); i++) {
                pending.track(set.changes().get(i), done.outcomes().get(i));
            }
            items.forEach(this::settle);
            return true;
        } catch (Exception e) {
            // the directory has the change: the target must get it too, so it stays in the outbox
            log.error("{}: strict mode: commit failed after the directory committed ({}); the change is queued", name, e.getMessage());
            audit.targetError(e);
            done.session().close();
            return false;
        }
    }

    /** {@code item} is applied or failed for good: it leaves the outbox, and a reply waiting for it may go. */
    private void settle(Outbox.Item item) {
        outbox.done(item);
        item.settled.complete(null);
        item.replyMayGo.complete(null);
    }

    /** Applies the first change of {@code group} if the group is idle and the change may go now. */
    private void dispatch(String group) {
        outbox.claim(group).ifPresent(this::attempt);
    }

    /** One attempt at the first queued change of a group, on the relay's threads; the group is already claimed. */
    private void attempt(Outbox.Item item) {
        try {
            attempts.execute(() -> apply(item));
        } catch (RejectedExecutionException e) {
            // shutting down: the outbox keeps the change for the next start
        }
    }

    private void apply(Outbox.Item item) {
        try {
            List<Applier.Applied> outcomes = applyAndCommit(item.change);
            pending.track(item.change, outcomes);
            audit.outcomes(item.origin, item.change, outcomes, item.waited ? item : null, Duration.between(item.queuedAt, clock.instant()));
            settle(item);
            if (item.waited) {
                // the target takes changes again: the other groups need not sit out their backoff
                outbox.wakeAll();
                drainSoon();
            }
        } catch (Exception e) {
            audit.targetError(e);
            if (Applier.isTransient(e)) {
                Duration ours = Outbox.backoff(item.attempts + 1);
                // the target said when (HTTP 429's Retry-After): never sooner
                Duration backoff = e instanceof TargetException t && t.retryAfter().isPresent()
                        && t.retryAfter().get().compareTo(ours) > 0 ? t.retryAfter().get() : ours;
                outbox.retryLater(item, backoff);
                audit.retrying(item, e.getMessage(), backoff);
                item.replyMayGo.complete(null); // queued, and said so: a waiting client need not sit out the deadline
                return;
            }
            audit.failed(item, e.getMessage());
            settle(item);
        } catch (Error e) {
            // never leave the group claimed: it would wait forever
            log.error("{}: relay attempt on {} failed unexpectedly; the change stays queued", name, item.change.group(), e);
            outbox.retryLater(item, Outbox.backoff(item.attempts + 1));
            throw e;
        }
        dispatch(item.group()); // the group's next change, if one waits
    }

    /**
     * {@code change} applied and committed in one target session. A session the target rolled back to break a deadlock
     * with a concurrent one (two groups created at the same moment: InnoDB's gap locks on the link table) runs again at
     * once, up to {@value #DEADLOCK_RUNS} times, instead of queueing the change for a retry after its reply went.
     */
    private List<Applier.Applied> applyAndCommit(GroupChange change) throws Exception {
        for (int run = 1; ; run++) {
            try (Target.Session session = target.begin()) {
                List<Applier.Applied> outcomes = applier.apply(change, session);
                session.commit();
                return outcomes;
            } catch (TargetException e) {
                if (!e.isDeadlockVictim() || run == DEADLOCK_RUNS) {
                    throw e;
                }
                log.debug("{}: {} of {}: deadlock in the target, running it again ({})", name, change.kind(), change.group().name(),
                        e.getMessage());
            }
        }
    }

    private void drainSoon() {
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // shutting down: the outbox keeps what is left for the next start
        }
    }

    private void drain() {
        try {
            outbox.claimReady().forEach(this::attempt);
            probe.run();
            pendingRetry.run();
            backlog.warnIfOld();
        } catch (RuntimeException e) {
            log.error("{}: outbox worker: {}", name, e.toString(), e);
        }
    }

    /** The target's name ({@code targets.<name>}). */
    public String name() {
        return name;
    }

    /** How LDAP diagnostics and logs name the target, e.g. {@code Seafile}. */
    public String label() {
        return label;
    }

    public RelayMode mode() {
        return mode;
    }

    /** The target this relay writes. */
    public Target target() {
        return target;
    }

    public int outboxDepth() {
        return outbox.depth();
    }

    public int pendingMembers() {
        return pending.size();
    }

    /** Distinct users among the pending members. */
    public long pendingUsers() {
        return pending.users();
    }

    /** When the oldest change still queued was committed. */
    public java.util.Optional<Instant> oldestQueued() {
        return outbox.oldest();
    }

    /** Waits (bounded) for queued changes to drain; used on shutdown. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        outbox.wakeAll(); // no group sits out its backoff while we wait for the drain
        drainSoon();
        while (outbox.depth() > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return outbox.depth() == 0;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        attempts.shutdown();
        strictAttempts.shutdown();
        try {
            attempts.awaitTermination(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
            outbox.close();
            pending.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("{}: closing the outbox: {}", name, e.getMessage());
        }
    }
}
