package org.grouprelay.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns relay events into audit lines, the one INFO line per relayed change, and metrics: every
 * event that writes an audit line also counts it, so the audit log and {@code /metrics} agree.
 */
final class RelayAudit {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** Latency buckets: a synchronous apply takes milliseconds, a queued one up to minutes. */
    private static final Duration[] LATENCY_BUCKETS = java.util.stream.LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500,
            5_000, 10_000, 30_000, 60_000, 300_000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final String target;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Timer latency;

    /** {@code target}: the target's name, in every audit line and as the {@code target} label of every meter. */
    RelayAudit(String target, AuditLog audit, Clock clock, MeterRegistry metrics) {
        this.target = target;
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
        this.latency = Timer.builder("grouprelay.relay.latency")
                .description("From the directory's commit to the change being applied in the target (queued time included)")
                .tags("target", target).serviceLevelObjectives(LATENCY_BUCKETS).register(metrics);
    }

    /** Gauges of the relay's backlog: outbox depth, the oldest queued change's age, pending members. */
    void gauges(Outbox outbox, PendingMembers pending) {
        Gauge.builder("grouprelay.outbox.depth", outbox, Outbox::depth).strongReference(true).tags("target", target)
                .description("Changes queued for the target and not yet applied").register(metrics);
        Gauge.builder("grouprelay.outbox.oldest.age", outbox,
                o -> o.oldest().map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).orElse(0.0))
                .strongReference(true).tags("target", target).baseUnit("seconds").description("Age of the oldest queued change (0 when none)").register(metrics);
        Gauge.builder("grouprelay.pending.members", pending, PendingMembers::size).strongReference(true).tags("target", target)
                .description("Memberships waiting for the user's account in the target (Seafile: the first login)").register(metrics);
        Gauge.builder("grouprelay.pending.users", pending,
                p -> p.all().stream().map(m -> m.user().dn().toLowerCase(java.util.Locale.ROOT)).distinct().count())
                .strongReference(true).tags("target", target).description("Distinct users among the pending members").register(metrics);
    }

    /** A call to Seafile failed: counted by class (transient: retried; permanent: not) and exception. */
    void targetError(Throwable e) {
        Throwable shown = e instanceof org.grouprelay.targets.TargetException && e.getCause() != null ? e.getCause() : e;
        Counter.builder("grouprelay.target.errors").description("Failed calls to the target by class (transient or permanent)")
                .tags("target", target, "class", Applier.isTransient(e) ? "transient" : "permanent", "exception", shown.getClass().getSimpleName())
                .register(metrics).increment();
    }

    private void count(GroupChange change, Outcome outcome) {
        Counter.builder("grouprelay.changes").description("Group changes by kind and outcome (applied, queued, retrying, failed, refused)")
                .tags("target", target, "kind", change.kind(), "outcome", outcome.label()).register(metrics).increment();
    }

    /**
     * A change was applied; {@code retried} is set when it had been queued before; {@code took} is the
     * time since the directory committed it.
     */
    void outcomes(Origin origin, GroupChange change, List<Applier.Applied> outcomes, Outbox.Item retried, Duration took) {
        count(change, Outcome.APPLIED);
        latency.record(took);
        for (Applier.Applied o : outcomes) {
            if (o.user() != null) {
                Counter.builder("grouprelay.members").description("Members of relayed changes by outcome (applied, pending, ignored)")
                        .tags("target", target, "outcome", o.outcome().label()).register(metrics).increment();
            }
        }
        String after = retried == null ? null
                : "applied after " + Duration.between(retried.queuedAt, clock.instant()).toSeconds() + "s";
        List<AuditEntry> entries = new ArrayList<>();
        for (Applier.Applied o : outcomes) {
            String reason = after == null ? o.reason() : o.reason() == null ? after : after + "; " + o.reason();
            entries.add(entry(origin, change, o.user() == null ? null : o.user().dn(), o.targetUser(), o.targetGroup(),
                    o.outcome().label(), reason));
        }
        audit.write(entries);
        long users = outcomes.stream().filter(o -> o.user() != null).count();
        log.info("{}: {} {}{}: {}{}", target, change.kind(), change.group().name(), users == 0 ? "" : " (" + users + " user(s))",
                (outcomes.isEmpty() ? Outcome.APPLIED : outcomes.get(0).outcome()).label(), after == null ? "" : ", " + after);
    }

    void queued(Outbox.Item item, String reason) {
        count(item.change, Outcome.QUEUED);
        audit.write(List.of(entry(item.origin, item.change, null, null, null, Outcome.QUEUED.label(), reason)));
        log.warn("{}: {} {}: queued ({})", target, item.change.kind(), item.change.group().name(), reason);
    }

    void retrying(Outbox.Item item, String reason, Duration backoff) {
        count(item.change, Outcome.RETRYING);
        String outcome = item.attempts <= 1 ? Outcome.QUEUED.label() : Outcome.RETRYING.label() + " (" + (item.attempts - 1) + ")";
        audit.write(List.of(entry(item.origin, item.change, null, null, null, outcome, reason + "; next try in " + backoff.toSeconds() + "s")));
        log.warn("{}: {} {}: {} ({}); next try in {} s", target, item.change.kind(), item.change.group().name(), outcome, reason, backoff.toSeconds());
    }

    void failed(Outbox.Item item, String reason) {
        count(item.change, Outcome.FAILED);
        audit.write(List.of(entry(item.origin, item.change, null, null, null, Outcome.FAILED.label(), reason)));
        log.error("{}: {} {}: failed for good ({})", target, item.change.kind(), item.change.group().name(), reason);
    }

    void refused(ChangeSet set, String reason) {
        List<AuditEntry> entries = new ArrayList<>();
        for (GroupChange change : set.changes()) {
            count(change, Outcome.REFUSED);
            entries.add(entry(set.origin(), change, null, null, null, Outcome.REFUSED.label(), reason));
        }
        audit.write(entries);
        log.warn("{}: strict mode refused {} {}: {}", target, set.origin().operation(), set.origin().dn(), reason);
    }

    void unresolved(ChangeSet set) {
        List<AuditEntry> entries = new ArrayList<>();
        for (String value : set.unresolved()) {
            entries.add(new AuditEntry(clock.instant().toString(), target, set.origin().operation(), set.origin().dn(), set.origin().bindDn(),
                    "member-unresolved", null, set.origin().dn(), null, null, value, null, Outcome.IGNORED.label(),
                    "member value names no existing user under peopleDn or managed group"));
        }
        audit.write(entries);
    }

    private AuditEntry entry(Origin origin, GroupChange change, String user, String targetUser, String groupId, String outcome,
            String reason) {
        String why = origin.reason() == null ? reason : reason == null ? origin.reason() : origin.reason() + "; " + reason;
        return new AuditEntry(clock.instant().toString(), target, origin.operation(), origin.dn(), origin.bindDn(), change.kind(),
                change.group().uuid(), change.group().dn(), change.group().name(), groupId, user, targetUser, outcome, why);
    }
}
