package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    /** The journal's file in a data directory. */
    static final String FILE = "pending.jsonl";

    /** One line of the journal: a membership that waits for an account, or the end of that wait. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(String state, GroupRef group, UserRef user) {
    }

    /** A member waiting for a Seafile account. */
    record Pending(GroupRef group, UserRef user) {
    }

    private final Journal<Line> journal;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    PendingMembers(Path file, ObjectMapper json) throws IOException {
        this.journal = new Journal<>(file, Line.class, json);
        for (Line line : journal.readAll()) {
            if ("pending".equals(line.state())) {
                pending.put(key(line.group().uuid(), line.user().dn()), new Pending(line.group(), line.user()));
            } else {
                pending.remove(key(line.group().uuid(), line.user().dn()));
            }
        }
        journal.rewrite(pending.values().stream().map(p -> new Line("pending", p.group(), p.user())).toList());
    }

    /** Updates the pending set from a change that was just applied (or queued) and its outcomes. */
    synchronized void track(GroupChange change, List<Applier.Outcome> outcomes) {
        List<Line> lines = new ArrayList<>();
        GroupRef group = change.group();
        if (change instanceof GroupChange.GroupDeleted) {
            pending.values().removeIf(p -> {
                boolean gone = p.group().uuid().equals(group.uuid());
                if (gone) {
                    lines.add(new Line("done", p.group(), p.user()));
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
                        .noneMatch(o -> o.user() != null && "pending".equals(o.outcome()) && o.user().dn().equalsIgnoreCase(p.user().dn()));
                if (stale) {
                    lines.add(new Line("done", p.group(), p.user()));
                }
                return stale;
            });
        }
        for (Applier.Outcome outcome : outcomes) {
            if (outcome.user() == null) {
                continue;
            }
            String key = key(group.uuid(), outcome.user().dn());
            if ("pending".equals(outcome.outcome())) {
                if (pending.put(key, new Pending(group, outcome.user())) == null) {
                    lines.add(new Line("pending", group, outcome.user()));
                }
            } else if (!"pending".equals(outcome.outcome()) && pending.remove(key) != null) {
                lines.add(new Line("done", group, outcome.user()));
            }
        }
        write(lines);
    }

    private void forget(GroupRef group, UserRef user, List<Line> lines) {
        if (pending.remove(key(group.uuid(), user.dn())) != null) {
            lines.add(new Line("done", group, user));
        }
    }

    synchronized List<Pending> all() {
        return List.copyOf(pending.values());
    }

    synchronized int size() {
        return pending.size();
    }

    private void write(List<Line> lines) {
        if (lines.isEmpty()) {
            return;
        }
        try {
            journal.append(lines, true);
        } catch (IOException e) {
            log.error("cannot record pending members in {}: {}", journal.file(), e.getMessage());
        }
    }

    private static String key(String groupUuid, String userDn) {
        return groupUuid + "|" + userDn.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
