package org.grouprelay.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;

/** The users who joined and left a group's effective membership, resolved to user snapshots. */
record MemberDiff(List<UserRef> added, List<UserRef> removed) {

    static MemberDiff between(Map<String, String> before, Map<String, String> after, DirectoryView view,
            Set<String> unresolved) throws LdapException {
        Map<String, String> joined = new LinkedHashMap<>();
        Map<String, String> left = new LinkedHashMap<>();
        for (Map.Entry<String, String> user : after.entrySet()) {
            if (!before.containsKey(user.getKey())) {
                joined.put(user.getKey(), user.getValue());
            }
        }
        for (Map.Entry<String, String> user : before.entrySet()) {
            if (!after.containsKey(user.getKey())) {
                left.put(user.getKey(), user.getValue());
            }
        }
        return resolved(joined, left, view, unresolved);
    }

    /** The users who joined and left (normalized DN → DN as written), resolved; those without an entry go to unresolved. */
    static MemberDiff resolved(Map<String, String> joined, Map<String, String> left, DirectoryView view, Set<String> unresolved)
            throws LdapException {
        List<UserRef> added = new ArrayList<>();
        List<UserRef> removed = new ArrayList<>();
        for (Map.Entry<String, String> user : joined.entrySet()) {
            resolve(user, view, unresolved).ifPresent(added::add);
        }
        for (Map.Entry<String, String> user : left.entrySet()) {
            resolve(user, view, unresolved).ifPresent(removed::add);
        }
        return new MemberDiff(added, removed);
    }

    private static Optional<UserRef> resolve(Map.Entry<String, String> user, DirectoryView view, Set<String> unresolved)
            throws LdapException {
        Optional<UserRef> ref = view.user(user.getKey(), user.getValue());
        if (ref.isEmpty()) {
            unresolved.add(user.getValue());
        }
        return ref;
    }

    /** Appends one batch change per direction, if there is anything to say. */
    void emit(GroupRef group, List<GroupChange> changes) {
        if (!added.isEmpty()) {
            changes.add(new GroupChange.MemberAdded(group, added));
        }
        if (!removed.isEmpty()) {
            changes.add(new GroupChange.MemberRemoved(group, removed));
        }
    }
}
