package org.grouprelay.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns relay events into audit lines and the one INFO line per relayed change. */
final class RelayAudit {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final AuditLog audit;
    private final Clock clock;

    RelayAudit(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** A change was applied; {@code retried} is set when it had been queued before. */
    void outcomes(Origin origin, GroupChange change, List<Applier.Outcome> outcomes, Outbox.Item retried) {
        String after = retried == null ? null
                : "applied after " + Duration.between(retried.queuedAt, clock.instant()).toSeconds() + "s";
        List<AuditEntry> entries = new ArrayList<>();
        for (Applier.Outcome o : outcomes) {
            String reason = after == null ? o.reason() : o.reason() == null ? after : after + "; " + o.reason();
            entries.add(entry(origin, change, o.user() == null ? null : o.user().dn(), o.seafileUser(), o.seafileGroupId(),
                    o.outcome(), reason));
        }
        audit.write(entries);
        long users = outcomes.stream().filter(o -> o.user() != null).count();
        log.info("{} {}{}: {}{}", change.kind(), change.group().name(), users == 0 ? "" : " (" + users + " user(s))",
                outcomes.isEmpty() ? "applied" : outcomes.get(0).outcome(), after == null ? "" : ", " + after);
    }

    void queued(Outbox.Item item, String reason) {
        audit.write(List.of(entry(item.origin, item.change, null, null, null, "queued", reason)));
        log.warn("{} {}: queued ({})", item.change.kind(), item.change.group().name(), reason);
    }

    void retrying(Outbox.Item item, String reason, Duration backoff) {
        String outcome = item.attempts <= 1 ? "queued" : "retrying (" + (item.attempts - 1) + ")";
        audit.write(List.of(entry(item.origin, item.change, null, null, null, outcome, reason + "; next try in " + backoff.toSeconds() + "s")));
        log.warn("{} {}: {} ({}); next try in {} s", item.change.kind(), item.change.group().name(), outcome, reason, backoff.toSeconds());
    }

    void failed(Outbox.Item item, String reason) {
        audit.write(List.of(entry(item.origin, item.change, null, null, null, "failed", reason)));
        log.error("{} {}: failed for good ({})", item.change.kind(), item.change.group().name(), reason);
    }

    void refused(ChangeSet set, String reason) {
        List<AuditEntry> entries = new ArrayList<>();
        for (GroupChange change : set.changes()) {
            entries.add(entry(set.origin(), change, null, null, null, "refused", reason));
        }
        audit.write(entries);
        log.warn("strict mode refused {} {}: {}", set.origin().operation(), set.origin().dn(), reason);
    }

    void unresolved(ChangeSet set) {
        List<AuditEntry> entries = new ArrayList<>();
        for (String value : set.unresolved()) {
            entries.add(new AuditEntry(clock.instant().toString(), set.origin().operation(), set.origin().dn(), set.origin().bindDn(),
                    "member-unresolved", null, set.origin().dn(), null, null, value, null, "ignored",
                    "member value names no existing user under peopleDn or managed group"));
        }
        audit.write(entries);
    }

    private AuditEntry entry(Origin origin, GroupChange change, String user, String seafileUser, Long groupId, String outcome,
            String reason) {
        return new AuditEntry(clock.instant().toString(), origin.operation(), origin.dn(), origin.bindDn(), change.kind(),
                change.group().uuid(), change.group().dn(), change.group().name(), groupId, user, seafileUser, outcome, reason);
    }
}
