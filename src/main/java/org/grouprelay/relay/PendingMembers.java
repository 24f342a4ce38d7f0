package org.grouprelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directory members who have no Seafile account yet, kept durably ({@code pending.jsonl}) until the
 * account appears (then they are relayed like any other member add) or the membership ends.
 */
final class PendingMembers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PendingMembers.class);

    /** A member waiting for a Seafile account. */
    record Pending(GroupRef group, UserRef user) {
    }

    private final Journal<PendingLine> journal;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    PendingMembers(Path file, ObjectMapper json) throws IOException {
        this.journal = new Journal<>(file, PendingLine.class, json);
        PendingLine.open(journal.readAll()).forEach((key, line) -> pending.put(key, new Pending(line.group(), line.user())));
        journal.rewrite(pending.values().stream().map(p -> new PendingLine(PendingLine.State.PENDING, p.group(), p.user())).toList());
    }

    /** Updates the pending set from a change that was just applied (or queued) and its outcomes. */
    synchronized void track(GroupChange change, List<Applier.Applied> outcomes) {
        List<PendingLine> lines = new ArrayList<>();
        GroupRef group = change.group();
        if (change instanceof GroupChange.GroupDeleted) {
            pending.values().removeIf(p -> {
                boolean gone = p.group().uuid().equals(group.uuid());
                if (gone) {
                    lines.add(new PendingLine(PendingLine.State.DONE, p.group(), p.user()));
                }
                return gone;
            });
        } else if (change instanceof GroupChange.MemberRemoved removed) {
            removed.users().forEach(u -> forget(group, u, lines));
        } else if (change instanceof GroupChange.UserDeleted deleted) {
            forget(group, deleted.user(), lines);
        } else if (change instanceof GroupChange.UserRenamed renamed) {
            forget(group, renamed.before(), lines);
        } else if (change instanceof GroupChange.GroupResync) {
            // the group was re-read: what is still pending is among the outcomes below
            pending.values().removeIf(p -> {
                boolean stale = p.group().uuid().equals(group.uuid()) && outcomes.stream()
                        .noneMatch(o -> o.user() != null && o.outcome() == Outcome.PENDING && o.user().dn().equalsIgnoreCase(p.user().dn()));
                if (stale) {
                    lines.add(new PendingLine(PendingLine.State.DONE, p.group(), p.user()));
                }
                return stale;
            });
        }
        for (Applier.Applied outcome : outcomes) {
            if (outcome.user() == null) {
                continue;
            }
            String key = PendingLine.key(group, outcome.user());
            if (outcome.outcome() == Outcome.PENDING) {
                if (pending.put(key, new Pending(group, outcome.user())) == null) {
                    lines.add(new PendingLine(PendingLine.State.PENDING, group, outcome.user()));
                }
            } else if (pending.remove(key) != null) {
                lines.add(new PendingLine(PendingLine.State.DONE, group, outcome.user()));
            }
        }
        write(lines);
    }

    private void forget(GroupRef group, UserRef user, List<PendingLine> lines) {
        if (pending.remove(PendingLine.key(group, user)) != null) {
            lines.add(new PendingLine(PendingLine.State.DONE, group, user));
        }
    }

    /** Distinct users among the pending members. */
    synchronized long users() {
        return all().stream().map(p -> p.user().dn().toLowerCase(java.util.Locale.ROOT)).distinct().count();
    }

    synchronized List<Pending> all() {
        return List.copyOf(pending.values());
    }

    synchronized int size() {
        return pending.size();
    }

    private void write(List<PendingLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        try {
            journal.append(lines, true);
        } catch (IOException e) {
            log.error("cannot record pending members in {}: {}", journal.file(), e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
