package org.grouprelay.testing.mas;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The fake's user table, ordered by ID (ULIDs, so by creation) as MAS pages it. Erased accounts stay
 * in the table, marked, so a test can see them; every lookup the API offers skips them.
 */
final class MasDirectory {
    private final Clock clock;
    private final Ulids ids;
    private final TreeMap<String, MasUser> byId = new TreeMap<>();

    MasDirectory(Clock clock) {
        this.clock = clock;
        this.ids = new Ulids(clock);
    }

    synchronized MasUser add(String username) {
        if (byUsername(username).isPresent()) {
            throw new IllegalArgumentException("username taken: " + username);
        }
        MasUser user = new MasUser(ids.next(), username, clock.instant(), null, null, false, false);
        byId.put(user.id(), user);
        return user;
    }

    /** The live (not erased) user of that username; MAS usernames are compared as they are. */
    synchronized Optional<MasUser> byUsername(String username) {
        return byId.values().stream().filter(user -> !user.erased() && user.username().equals(username)).findFirst();
    }

    synchronized Optional<MasUser> byId(String id) {
        return Optional.ofNullable(byId.get(id)).filter(user -> !user.erased());
    }

    /** Applies a change to a live user and answers the new row, or empty when there is no such user. */
    synchronized Optional<MasUser> update(String id, UnaryOperator<MasUser> change) {
        return byId(id).map(user -> {
            MasUser changed = change.apply(user);
            byId.put(id, changed);
            return changed;
        });
    }

    /** Live users in ID order. */
    synchronized List<MasUser> live() {
        return byId.values().stream().filter(user -> !user.erased()).toList();
    }

    /** Every user ever added, erased ones included, in ID order. */
    synchronized List<MasUser> all() {
        return List.copyOf(byId.values());
    }
}
