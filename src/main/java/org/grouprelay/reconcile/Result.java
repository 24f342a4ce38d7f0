package org.grouprelay.reconcile;

import java.util.List;

/** What a repair did: counts per action kind, and the actions that failed with why. */
public record Result(int groupsCreated, int groupsRenamed, int groupsDeleted, int membersAdded, int membersRemoved,
        List<String> failures) {
    public Result {
        failures = List.copyOf(failures);
    }
}
