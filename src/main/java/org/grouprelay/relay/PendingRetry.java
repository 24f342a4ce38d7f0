package org.grouprelay.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.Origin;
import org.grouprelay.change.UserRef;
import org.grouprelay.mapping.Accounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every 2 s, if members are pending: when new accounts appeared (the target's cheap watermark moved) or a minute passed,
 * the pending users are looked up again (one batch) and those that now have an account are queued as ordinary member adds.
 */
final class PendingRetry implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final String name;
    private final Accounts accounts;
    private final PendingMembers pending;
    private final Outbox outbox;
    private final Clock clock;
    private long watermark = -1;
    private Instant checkedAt = Instant.MIN;

    PendingRetry(String name, Accounts accounts, PendingMembers pending, Outbox outbox, Clock clock) {
        this.name = name;
        this.accounts = accounts;
        this.pending = pending;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        if (pending.size() == 0 || Duration.between(checkedAt, now).compareTo(Duration.ofSeconds(2)) < 0) {
            return;
        }
        boolean minutePassed = Duration.between(checkedAt, now).compareTo(Duration.ofMinutes(1)) >= 0;
        checkedAt = now;
        try {
            long current = accounts.watermark();
            if (current == watermark && !minutePassed) {
                return;
            }
            watermark = current;
            List<PendingMembers.Pending> waiting = pending.all();
            Map<UserRef, String> found = accounts.find(waiting.stream().map(PendingMembers.Pending::user).distinct().toList());
            Map<GroupRef, List<UserRef>> ready = new LinkedHashMap<>();
            for (PendingMembers.Pending p : waiting) {
                if (found.containsKey(p.user())) {
                    ready.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p.user());
                }
            }
            ready.forEach((group, users) -> {
                GroupChange change = new GroupChange.MemberAdded(group, users);
                outbox.add(new Origin("pending", group.dn(), ""), List.of(change));
                pending.track(change, users.stream().map(u -> new Applier.Applied(u, found.get(u), null, Outcome.QUEUED, null)).toList());
                log.info("{}: {} pending member(s) of {} now have an account; queued", name, users.size(), group.name());
            });
        } catch (Exception e) {
            log.debug("{}: pending members: {}", name, e.getMessage());
        }
    }
}
