package org.grouprelay.change;

import java.util.List;

/** Everything one LDAP operation changed, in order; plus member values that could not be resolved. */
public record ChangeSet(Origin origin, List<GroupChange> changes, List<String> unresolved) {
    public ChangeSet {
        changes = List.copyOf(changes);
        unresolved = List.copyOf(unresolved);
    }

    public boolean isEmpty() {
        return changes.isEmpty() && unresolved.isEmpty();
    }
}
