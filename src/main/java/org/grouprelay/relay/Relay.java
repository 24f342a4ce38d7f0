package org.grouprelay.relay;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.ChangeSink;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each committed change set to Seafile, synchronously, in the order the directory
 * committed it (ApacheDS serialises writes, so per-group order is commit order), and writes
 * one audit line per user and change.
 */
public final class Relay implements ChangeSink {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final Applier applier;
    private final AuditLog audit;
    private final Clock clock;

    public Relay(org.grouprelay.target.Target target, org.grouprelay.mapping.UserMapper mapper, AuditLog audit, Clock clock) {
        this.applier = new Applier(target, mapper);
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void committed(ChangeSet set) {
        List<AuditEntry> entries = new ArrayList<>();
        for (GroupChange change : set.changes()) {
            long started = System.nanoTime();
            try {
                List<Applier.Outcome> outcomes = applier.apply(change);
                outcomes.forEach(o -> entries.add(entry(set.origin(), change, o)));
                log.info("{} {} {}: {} in {} ms", change.kind(), change.group().name(), summary(outcomes),
                        outcomes.isEmpty() ? "" : outcomes.get(0).outcome(), (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                log.error("{} {} failed: {}", change.kind(), change.group().name(), e.getMessage());
                entries.add(entry(set.origin(), change, new Applier.Outcome(null, null, null, "failed", e.getMessage())));
            }
        }
        for (String value : set.unresolved()) {
            entries.add(new AuditEntry(clock.instant().toString(), set.origin().operation(), set.origin().dn(), set.origin().bindDn(),
                    "member-unresolved", null, set.origin().dn(), null, null, value, null, "ignored",
                    "member value names no existing user under peopleDn or managed group"));
        }
        audit.write(entries);
    }

    private static String summary(List<Applier.Outcome> outcomes) {
        long users = outcomes.stream().filter(o -> o.user() != null).count();
        return users == 0 ? "" : users + " user(s)";
    }

    private AuditEntry entry(Origin origin, GroupChange change, Applier.Outcome o) {
        return new AuditEntry(clock.instant().toString(), origin.operation(), origin.dn(), origin.bindDn(), change.kind(),
                change.group().uuid(), change.group().dn(), change.group().name(), o.seafileGroupId(),
                o.user() == null ? null : o.user().dn(), o.seafileUser(), o.outcome(), o.reason());
    }
}
