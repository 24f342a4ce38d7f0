package org.grouprelay.change;

import java.util.List;
import java.util.Optional;

/**
 * Reads one managed group's current state from the directory: what a target must hold for it.
 * Used to settle a change set whose fate a crash left unknown.
 */
@FunctionalInterface
public interface GroupReader {
    /** The group with entryUUID {@code uuid} as it is now, or empty when it is no longer a managed group. */
    Optional<GroupState> read(String uuid) throws Exception;

    /**
     * Every value of {@code attribute} among the directory's users, lower-cased: tells a target's accounts of directory
     * users from its own (MAS's bots and admins). Default: not offered.
     */
    default java.util.Set<String> userValues(String attribute) throws Exception {
        throw new UnsupportedOperationException("this reader does not list users");
    }

    /** A managed group now: its reference (current DN and name) and its effective users. */
    record GroupState(GroupRef group, List<UserRef> users) {
        public GroupState {
            users = List.copyOf(users);
        }
    }
}
